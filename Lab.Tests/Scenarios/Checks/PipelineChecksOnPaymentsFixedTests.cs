using OtelLab.AppHost.Lab;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>
/// payments-fixed on the whole lab (the AppHost's composition: collector, TA, farm and sample-service runtimes): the
/// pipeline checks pass on the fixed guide. Error and slow traces are rare at this load, so the keep-rate check is
/// asserted on what it can judge (baseline) and its skipped classes are allowed.
/// </summary>
[Trait("Category", "Lab")]
public sealed class PipelineChecksOnPaymentsFixedTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Keep_rates_send_failures_whole_traces_and_conservation_pass_on_payments_fixed()
    {
        ScenarioRun.SkipUnlessRunnable();
        var ct = TestContext.Current.CancellationToken;

        // Given payments-fixed up with its load running
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-fixed"));
        await using var lab = SimLab.Create(LabComposition.Options(scenario));
        Assert.True(await lab.StartAsync(ct), string.Join("\n", lab.Graph.Snapshots()));
        // (dataWithin bounds each check's wait for its population, which ends as soon as the population is there: a
        // lab beside other labs on a loaded machine takes longer to gather the same traces)
        var context = new CheckContext { Scenario = scenario, Manifests = lab.Manifests, Lab = lab, DataWithin = TimeSpan.FromSeconds(300) };

        // When the pipeline checks run in the default order (conservation last: it stops the load to drain)
        var keep = await new KeepRateCheck().RunAsync(context, ct);
        var sendFailed = await new SendFailedFlatCheck().RunAsync(context, ct);
        var traces = await new TraceCompleteCheck().RunAsync(context, ct);
        var conservation = await new ConservationCheck().RunAsync(context, ct);

        // Then each passes: the baseline keep rate within its 3σ band, no exporter lost data, every accepted span accounted for
        Assert.True(keep.Outcome == CheckOutcome.Pass, Describe(keep));
        Assert.Contains("baseline: kept", keep.Summary, StringComparison.Ordinal);
        Assert.DoesNotContain(keep.Summary.Split("; "), s => s.StartsWith("baseline", StringComparison.Ordinal) && s.Contains("too few", StringComparison.Ordinal));
        Assert.True(sendFailed.Outcome == CheckOutcome.Pass, Describe(sendFailed) + "\n" + AgentLog(lab));
        Assert.True(traces.Outcome == CheckOutcome.Pass, Describe(traces));
        Assert.True(traces.Figures.Single(f => f.Name == "kept traces of the load").Value >= 10, Describe(traces));
        Assert.Equal(0, traces.Figures.Single(f => f.Name == "partial, unexplained").Value);
        Assert.True(conservation.Outcome == CheckOutcome.Pass, Describe(conservation));
        Assert.True(conservation.Figures.Single(f => f.Name == "accepted at agents").Value > 0, Describe(conservation));
    }

    private static string Describe(CheckResult r) =>
        $"{r.Id} {r.Outcome}: {r.Summary}\n{string.Join("\n", r.Findings.SelectMany(f => f.Evidence))}\n{string.Join(", ", r.Figures.Select(f => $"{f.Name}={f.Value}"))}";

    // The agents' exporter errors, for a failure message.
    private static string AgentLog(SimLab lab) => string.Join("\n", lab.Pods()
        .Where(p => p.Metadata.Name.StartsWith("otel-agent", StringComparison.Ordinal))
        .SelectMany(p => lab.ContainerLog(p.Metadata.NamespaceProperty, p.Metadata.Name, "otc-container")?.Lines() ?? [])
        .Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase) || l.Contains("warn", StringComparison.OrdinalIgnoreCase))
        .Take(20));
}
