using System.Text.Json;
using System.Text.RegularExpressions;
using OtelLab.Lint;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>
/// Every rule has a correct pipeline it must not flag (<c>testdata/lint/&lt;rule-id&gt;.yaml</c>), chosen near what it
/// catches; the fixture's <c># defect: "from" =&gt; "to"</c> lines break it, and the rule must then fire, so the
/// fixture is known to exercise the rule.
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
        var (rule, yaml) = Fixture(ruleId);

        var findings = Run(rule, yaml);

        Assert.Empty(findings);
    }

    [Theory]
    [MemberData(nameof(RuleIds))]
    public void The_fixture_with_its_defect_is_flagged(string ruleId)
    {
        var (rule, yaml) = Fixture(ruleId);
        var defects = yaml.Split('\n').Select(l => DefectLine().Match(l.TrimEnd('\r'))).Where(m => m.Success).ToList();
        Assert.NotEmpty(defects);

        foreach (var d in defects)
        {
            var from = JsonSerializer.Deserialize<string>(d.Groups["from"].Value)!;
            var to = JsonSerializer.Deserialize<string>(d.Groups["to"].Value)!;
            var body = yaml[(yaml.IndexOf("\napiVersion", StringComparison.Ordinal) + 1)..];
            Assert.True(Regex.Count(body, Regex.Escape(from)) == 1, $"{ruleId}: \"{from}\" should occur once in the fixture");
            yaml = yaml[..^body.Length] + body.Replace(from, to, StringComparison.Ordinal);
        }

        Assert.Contains(Run(rule, yaml), f => f.RuleId == ruleId);
    }

    private static (LintRule Rule, string Yaml) Fixture(string ruleId)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "testdata", "lint", $"{ruleId}.yaml");
        Assert.True(File.Exists(path), $"rule {ruleId} has no correct-pipeline fixture at testdata/lint/{ruleId}.yaml");
        return (Linter.Rules.Single(r => r.Id == ruleId), File.ReadAllText(path).ReplaceLineEndings("\n"));
    }
}
