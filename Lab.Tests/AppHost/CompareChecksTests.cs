namespace OtelLab.Tests.AppHost;

/// <summary><c>compare --checks</c>: the lab run on both revisions, and the checks that change between them.</summary>
[Trait("Category", "Lab")]
public sealed class CompareChecksTests
{
    [Fact]
    public async Task The_put_back_defect_turns_dynatrace_metric_rejections_from_pass_to_fail_with_the_rejections_as_evidence()
    {
        LabCliRun.SkipWithoutLoopbackSupport();

        // When: payments-gitops' start commit against the commit that drops cumulativetodelta, each run in the lab
        var (code, output, error) = await LabCliRun.RunAsync("compare", "--scenario", "payments-gitops", "--base", "HEAD~3", "--head", "HEAD~2", "--checks");
        TestContext.Current.TestOutputHelper?.WriteLine(output[output.IndexOf("### The lab", StringComparison.Ordinal)..]);

        // Then
        Assert.True(code == 1, output + error);
        var checks = output[output.IndexOf("### The lab's checks on each revision", StringComparison.Ordinal)..];
        Assert.Matches(@"\| dynatrace-metric-rejections \| Pass \| Fail \| dynatrace accepted \d+ metric point\(s\) and rejected [1-9]\d* ", checks);
        Assert.Contains("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", checks, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\| (?!dynatrace-metric-rejections)[a-z-]+ \| Pass \| Fail \|", checks);
    }
}
