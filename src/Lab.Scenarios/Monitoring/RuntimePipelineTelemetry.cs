using k8s.Models;
using OtelLab.Sim.Collector.Processors.TailSampling;
using OtelLab.Sim.Collector.Receivers.Prometheus;

namespace OtelLab.Scenarios.Monitoring;

/// <summary>
/// The live views' pipeline telemetry read straight from the running lab's runtimes:
/// <list type="bullet">
/// <item>Shards: each Target Allocator's current assignment (targets per collector replica), with the series and the
/// last scrape of that replica's prometheus receiver(s).</item>
/// <item>Tiers: per OpenTelemetryCollector, <c>otelcol_receiver_accepted_spans</c>, <c>otelcol_exporter_sent_spans</c>
/// and <c>otelcol_exporter_send_failed_spans</c> summed over its pods (every receiver / exporter series).</item>
/// <item>Keep rates: the tail_sampling processors' decisions by class (error / slow / baseline), from the lab's
/// decision tap (<see cref="TraceClassTally"/>; lab instrumentation, not an upstream metric).</item>
/// </list>
/// </summary>
public sealed class RuntimePipelineTelemetry(SimLab lab) : IPipelineTelemetry
{
    public IReadOnlyList<ShardRow> Shards()
    {
        // Pods are looked up by name where the collectors run (a TA runs beside its collectors), not by listing every
        // pod: the monitor asks every second, and a sorted copy of 9,000 farm pods per ask showed in the lab's profile.
        var collectors = lab.Collectors.ToDictionary(c => (c.Namespace, c.Pod));
        var namespaces = collectors.Keys.Select(k => k.Namespace).Append("default").Distinct(StringComparer.Ordinal).ToList();
        var rows = new List<ShardRow>();
        foreach (var (taPod, allocator) in lab.TargetAllocators.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var ns = namespaces.FirstOrDefault(n => lab.Cluster?.Get<V1Pod>(n, taPod) is not null) ?? "default";
            foreach (var replica in allocator.Allocator.Collectors().Values.OrderBy(r => r.Name, StringComparer.Ordinal))
            {
                var targets = collectors.TryGetValue((ns, replica.Name), out var c)
                    ? c.Instance.Service.Components.Select(x => x.Component).OfType<PrometheusReceiver>().SelectMany(r => r.Targets).ToList()
                    : [];
                var collector = c?.Collector ?? (lab.Cluster?.Get<V1Pod>(ns, replica.Name) is { } rp ? CollectorFleet.CollectorName(rp) : replica.Name);
                rows.Add(new ShardRow(collector, replica.Name, replica.NumTargets, targets.Sum(t => t.Series), targets.Max(t => t.LastScrape) is { } last ? lab.Clock.ToWallInstant(last) : null));
            }
        }

        return rows;
    }

    public IReadOnlyList<TierCounters> Tiers() =>
    [
        .. CollectorFleet.Of(lab)
            .GroupBy(c => c.Tier, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TierCounters(
                g.Key,
                g.Sum(c => c.Counter(CollectorMetricNames.ReceiverAcceptedSpans)),
                g.Sum(c => c.Counter(CollectorMetricNames.ExporterSentSpans)),
                g.Sum(c => c.Counter(CollectorMetricNames.ExporterSendFailedSpans)))),
    ];

    public IReadOnlyList<KeepRateRow> KeepRates()
    {
        var tallies = CollectorFleet.Of(lab).SelectMany(c => c.TailSampling).Select(t => t.Classes).ToList();
        if (tallies.Count == 0)
        {
            return [];
        }

        return [.. Enum.GetValues<TraceClass>().Select(k => new KeepRateRow(ClassName(k), tallies.Sum(t => t.Traces(k)), tallies.Sum(t => t.Kept(k))))];
    }

    /// <summary>The row name of a class in the views and checks (<c>error</c>, <c>slow</c>, <c>baseline</c>).</summary>
    public static string ClassName(TraceClass c) => c.ToString().ToLowerInvariant();
}
