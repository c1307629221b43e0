using System.Globalization;
using OtelLab.Sim.Relabeling;
using OtelLab.Tests.Sim.TargetAllocation;

namespace OtelLab.Tests.Sim.Relabeling;

[Trait("Category", "Unit")]
public sealed class RelabelerTests
{
    private static readonly LabelSet Pod = LabelSet.From(
        (Label.Address, "10.42.0.7:8080"),
        ("__meta_kubernetes_namespace", "payments"),
        ("__meta_kubernetes_pod_label_app", "checkout"),
        ("__meta_kubernetes_pod_label_tier", "Backend"),
        ("__meta_kubernetes_pod_annotation_prometheus_io_scrape", "true"));

    private static LabelSet? Run(params RelabelConfig[] configs) => Relabeler.Process(Pod, configs);

    [Fact]
    public void Replace_uses_upstream_defaults_separator_regex_and_replacement()
    {
        // Given source labels joined by ";" and the default regex (.*) with replacement $1
        var result = Run(new RelabelConfig { SourceLabels = ["__meta_kubernetes_namespace", "__meta_kubernetes_pod_label_app"], TargetLabel = "where" });

        Assert.Equal("payments;checkout", result!.Get("where"));
    }

    [Fact]
    public void Replace_with_a_non_matching_regex_changes_nothing_and_an_empty_result_deletes()
    {
        var unchanged = Run(new RelabelConfig { SourceLabels = ["__meta_kubernetes_namespace"], Regex = new RelabelRegex("kube-.*"), TargetLabel = "ns" });
        Assert.False(unchanged!.Has("ns"));

        var deleted = Run(new RelabelConfig { SourceLabels = ["__meta_kubernetes_namespace"], Regex = new RelabelRegex("payments"), TargetLabel = Label.Address, Replacement = "" });
        Assert.False(deleted!.Has(Label.Address));
    }

    [Fact]
    public void Replace_rewrites_the_address_port_like_the_prometheus_io_port_recipe()
    {
        var result = Run(new RelabelConfig
        {
            SourceLabels = [Label.Address],
            Regex = new RelabelRegex(@"([^:]+)(?::\d+)?"),
            Replacement = "${1}:9100",
            TargetLabel = Label.Address,
        });
        Assert.Equal("10.42.0.7:9100", result!.Get(Label.Address));
    }

    [Fact]
    public void Replace_fast_path_sets_the_replacement_when_the_value_is_empty()
    {
        // Given no source labels (value "") and the default regex: upstream sets target = replacement verbatim
        var result = Run(new RelabelConfig { TargetLabel = "cluster", Replacement = "lab" });
        Assert.Equal("lab", result!.Get("cluster"));
    }

    [Fact]
    public void Keep_and_drop_filter_on_the_anchored_regex()
    {
        Assert.NotNull(Run(new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["__meta_kubernetes_pod_annotation_prometheus_io_scrape"], Regex = new RelabelRegex("true") }));
        Assert.Null(Run(new RelabelConfig { Action = RelabelAction.Keep, SourceLabels = ["__meta_kubernetes_pod_label_app"], Regex = new RelabelRegex("check") }));
        Assert.Null(Run(new RelabelConfig { Action = RelabelAction.Drop, SourceLabels = ["__meta_kubernetes_namespace"], Regex = new RelabelRegex("pay.*") }));
        Assert.NotNull(Run(new RelabelConfig { Action = RelabelAction.Drop, SourceLabels = ["__meta_kubernetes_namespace"], Regex = new RelabelRegex("pay") }));
    }

    [Fact]
    public void Keepequal_and_dropequal_compare_with_the_target_label()
    {
        var labels = LabelSet.From(("a", "x"), ("b", "x"), ("c", "y"));
        Assert.NotNull(Relabeler.Process(labels, [new RelabelConfig { Action = RelabelAction.KeepEqual, SourceLabels = ["a"], TargetLabel = "b" }]));
        Assert.Null(Relabeler.Process(labels, [new RelabelConfig { Action = RelabelAction.KeepEqual, SourceLabels = ["a"], TargetLabel = "c" }]));
        Assert.Null(Relabeler.Process(labels, [new RelabelConfig { Action = RelabelAction.DropEqual, SourceLabels = ["a"], TargetLabel = "b" }]));
    }

    [Fact]
    public void Hashmod_matches_go_md5_last_eight_bytes_big_endian()
    {
        foreach (var row in GoVectors.Of("hashmod"))
        {
            Assert.Equal(ulong.Parse(row[3], CultureInfo.InvariantCulture), Relabeler.HashMod(row[1], ulong.Parse(row[2], CultureInfo.InvariantCulture)));
        }

        var result = Run(new RelabelConfig { Action = RelabelAction.HashMod, SourceLabels = [Label.Address], Modulus = 3, TargetLabel = "__tmp_hash" });
        Assert.Equal(Relabeler.HashMod("10.42.0.7:8080", 3).ToString(CultureInfo.InvariantCulture), result!.Get("__tmp_hash"));
    }

    [Fact]
    public void Labelmap_copies_matching_labels_under_the_expanded_name()
    {
        var result = Run(new RelabelConfig { Action = RelabelAction.LabelMap, Regex = new RelabelRegex("__meta_kubernetes_pod_label_(.+)") });
        Assert.Equal("checkout", result!.Get("app"));
        Assert.Equal("Backend", result.Get("tier"));
        Assert.Equal("checkout", result.Get("__meta_kubernetes_pod_label_app"));

        foreach (var row in GoVectors.Of("labelmap"))
        {
            Assert.Equal(row[4], new RelabelRegex(row[1]).MatchAndExpand(row[3], row[2]));
        }
    }

    [Fact]
    public void Labeldrop_and_labelkeep_filter_label_names()
    {
        var dropped = Run(new RelabelConfig { Action = RelabelAction.LabelDrop, Regex = new RelabelRegex("__meta_kubernetes_pod_label_.*") });
        Assert.Equal([Label.Address, "__meta_kubernetes_namespace", "__meta_kubernetes_pod_annotation_prometheus_io_scrape"], dropped!.Select(l => l.Name));

        var kept = Run(new RelabelConfig { Action = RelabelAction.LabelKeep, Regex = new RelabelRegex("__address__|__meta_kubernetes_namespace") });
        Assert.Equal([Label.Address, "__meta_kubernetes_namespace"], kept!.Select(l => l.Name));
    }

    [Fact]
    public void Lowercase_and_uppercase_write_the_target_label()
    {
        var result = Run(
            new RelabelConfig { Action = RelabelAction.Lowercase, SourceLabels = ["__meta_kubernetes_pod_label_tier"], TargetLabel = "tier" },
            new RelabelConfig { Action = RelabelAction.Uppercase, SourceLabels = ["__meta_kubernetes_namespace"], TargetLabel = "ns" });
        Assert.Equal("backend", result!.Get("tier"));
        Assert.Equal("PAYMENTS", result.Get("ns"));
    }

    [Fact]
    public void Replacement_templates_expand_exactly_as_go_regexp_does()
    {
        // Given Go's own ExpandString results, including $1_x (group "1_x" → ""), $$, ${1}, named groups, malformed $
        var rows = GoVectors.Of("expand").ToList();
        Assert.True(rows.Count >= 10);
        foreach (var row in rows)
        {
            Assert.Equal(row.Length > 4 ? row[4] : "", new RelabelRegex(row[1]).MatchAndExpand(row[3], row[2]));
        }
    }

    [Fact]
    public void The_regex_is_fully_anchored_and_end_means_end_of_text()
    {
        var regex = new RelabelRegex("a|b");
        Assert.True(regex.IsMatch("a"));
        Assert.False(regex.IsMatch("ab"));
        Assert.False(new RelabelRegex("a").IsMatch("a\n"));
    }

    [Theory]
    [InlineData(RelabelAction.HashMod, "t", 0UL, "relabel configuration for hashmod requires non-zero modulus")]
    [InlineData(RelabelAction.Replace, "", 0UL, "relabel configuration for replace action requires 'target_label' value")]
    [InlineData(RelabelAction.Lowercase, "", 0UL, "relabel configuration for lowercase action requires 'target_label' value")]
    public void Validation_reports_upstream_messages(RelabelAction action, string target, ulong modulus, string message)
    {
        Assert.Equal(message, new RelabelConfig { Action = action, TargetLabel = target, Modulus = modulus }.Validate());
    }

    [Fact]
    public void Validation_accepts_good_configs_and_rejects_extra_fields_on_labeldrop()
    {
        Assert.Null(new RelabelConfig { TargetLabel = "x" }.Validate());
        Assert.Equal("labeldrop action requires only 'regex', and no other fields",
            new RelabelConfig { Action = RelabelAction.LabelDrop, TargetLabel = "x" }.Validate());
        Assert.Equal(RelabelAction.KeepEqual, RelabelConfig.ParseAction("KeepEqual"));
        Assert.Throws<ArgumentException>(() => RelabelConfig.ParseAction("explode"));
    }

    [Fact]
    public void Named_groups_keep_go_numbering()
    {
        // .NET would number the named group after (\d+); Go numbers left to right.
        Assert.Equal("web|80", new RelabelRegex(@"(?P<host>[^:]+):(\d+)").MatchAndExpand("web:80", "$1|$2"));
        Assert.Equal("web", new RelabelRegex(@"(?<host>[^:]+):(\d+)").MatchAndExpand("web:80", "$host"));
    }
}
