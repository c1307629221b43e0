using OtelLab.Lint.Internal;
using OtelLab.Model.Go;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Rules;

/// <summary>A relabel regex in a prometheus receiver's scrape config that Go's regexp (RE2) cannot parse.</summary>
public sealed class RelabelRegexInvalidRule : LintRule
{
    public override string Id => "relabel-regex-invalid";

    public override string Title => "Relabel regex the collector cannot parse";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "Relabel regexes are Go regular expressions (RE2), compiled anchored when the configuration is read (prometheus " +
        "model/relabel NewRegexp): a lookaround, a backreference or an unbalanced group fails the prometheus receiver's config " +
        "(and the Target Allocator's, which reads the same scrape_configs), so the collector does not start.";

    public override IEnumerable<Finding> Check(LintContext context)
    {
        foreach (var (m, c, id, job, jobName) in PrometheusScrapeJobs.In(context))
        {
            foreach (var list in new[] { "relabel_configs", "metric_relabel_configs" })
            {
                var rules = (YamlReader.Child(job, list) as YamlSequenceNode)?.Children ?? [];
                for (var i = 0; i < rules.Count; i++)
                {
                    if (YamlReader.Child(rules[i] as YamlMappingNode, "regex") is not YamlScalarNode { Value: { } expression } regex
                        || Error(expression) is not { } error)
                    {
                        continue;
                    }

                    yield return Create(m.Display, c.Config.LocationOf(regex),
                        $"{m.Display}: receivers.{id}: job {jobName} {list}[{i}].regex \"{expression}\": {error}; the collector refuses this configuration at start",
                        "write the expression in RE2 syntax (github.com/google/re2/wiki/Syntax): no lookarounds or backreferences — match the " +
                        "whole value with groups and keep or drop on them, or split the rule in two",
                        [$"job {jobName}", $"{list}[{i}].regex: {expression}"]);
                }
            }
        }
    }

    private static string? Error(string expression)
    {
        try
        {
            GoRegexSyntax.CompileRelabel(expression, System.Text.RegularExpressions.Regex.InfiniteMatchTimeout);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }
}
