using System.Text.Json;
using System.Text.RegularExpressions;
using OtelLab.Lint;
using OtelLab.Model.Install;
using OtelLab.Model.Manifests;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>
/// Every rule has a correct pipeline it must not flag (<c>testdata/lint/&lt;rule-id&gt;.yaml</c>), chosen near what it
/// catches; the fixture's <c># defect: "from" =&gt; "to"</c> lines break it, and the rule must then fire, so the
/// fixture is known to exercise the rule. Install rules read their Helm releases from <c>&lt;rule-id&gt;.install.yaml</c>
/// (scenario.yaml's <c>install:</c> block), where their defect lines may apply.
/// </summary>
[Trait("Category", "Unit")]
public sealed partial class CorrectPipelineTests
{
    [GeneratedRegex("^# defect: (?<from>\".*\") => (?<to>\".*\")$")]
    private static partial Regex DefectLine();

    public static TheoryData<string> RuleIds => new(Linter.Rules.Select(r => r.Id));

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_rule_does_not_flag_its_correct_pipeline(string ruleId)
    {
        var (rule, yaml, install) = Fixture(ruleId);

        var findings = RunWithInstall(rule, yaml, install);

        Assert.Empty(findings);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_fixture_with_its_defect_is_flagged(string ruleId)
    {
        var (rule, yaml, install) = Fixture(ruleId);
        var defects = (yaml + "\n" + (install ?? "")).Split('\n').Select(l => DefectLine().Match(l.TrimEnd('\r'))).Where(m => m.Success).ToList();
        Assert.NotEmpty(defects);

        foreach (var d in defects)
        {
            var from = JsonSerializer.Deserialize<string>(d.Groups["from"].Value)!;
            var to = JsonSerializer.Deserialize<string>(d.Groups["to"].Value)!;
            var body = yaml[(yaml.IndexOf("\napiVersion", StringComparison.Ordinal) + 1)..];
            if (install is not null && !body.Contains(from, StringComparison.Ordinal))
            {
                // the defect is in the install (<rule>.install.yaml): Helm releases rather than manifests
                var releases = install[(install.IndexOf("\ninstall:", StringComparison.Ordinal) + 1)..];
                Assert.True(Regex.Count(releases, Regex.Escape(from)) == 1, $"{ruleId}: \"{from}\" should occur once in the install fixture");
                install = install[..^releases.Length] + releases.Replace(from, to, StringComparison.Ordinal);
                continue;
            }

            Assert.True(Regex.Count(body, Regex.Escape(from)) == 1, $"{ruleId}: \"{from}\" should occur once in the fixture");
            yaml = yaml[..^body.Length] + body.Replace(from, to, StringComparison.Ordinal);
        }

        Assert.Contains(RunWithInstall(rule, yaml, install), f => f.RuleId == ruleId);
    }

    private static IReadOnlyList<Finding> RunWithInstall(LintRule rule, string yaml, string? install)
    {
        if (install is null)
        {
            return Run(rule, yaml);
        }

        var set = ManifestLoader.LoadText("fixture.yaml", yaml);
        Assert.Empty(set.Errors);
        var stream = new YamlStream();
        stream.Load(new StringReader(install));
        var root = (YamlMappingNode)stream.Documents[0].RootNode;
        var spec = InstallSpecReader.Read(new YamlReader("install.yaml"), YamlReader.Child(root, "install") as YamlMappingNode, AppContext.BaseDirectory);
        return Linter.Run(set, [rule], spec);
    }

    private static (LintRule Rule, string Yaml, string? Install) Fixture(string ruleId)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "lint", $"{ruleId}.yaml");
        Assert.True(File.Exists(path), $"rule {ruleId} has no correct-pipeline fixture at testdata/lint/{ruleId}.yaml");
        var install = Path.ChangeExtension(path, ".install.yaml");
        return (Linter.Rules.Single(r => r.Id == ruleId), File.ReadAllText(path).ReplaceLineEndings("\n"),
            File.Exists(install) ? File.ReadAllText(install).ReplaceLineEndings("\n") : null);
    }
}
