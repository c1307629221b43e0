using System.Runtime.CompilerServices;
using OtelLab.Sim.Collector.Telemetry;

namespace OtelLab.Sim.Collector.Internal;

/// <summary>
/// One counter per collector registry however many component instances report to it: upstream components of one type
/// share a meter, so two k8sattributes instances (traces and metrics pipelines) add to one <c>otelsvc_k8s_ip_lookup_miss</c>.
/// </summary>
internal static class SharedCounters
{
    private static readonly ConditionalWeakTable<MetricRegistry, Dictionary<string, CounterMetric>> Counters = [];

    public static CounterMetric Get(MetricRegistry registry, string name, string help)
    {
        var byName = Counters.GetOrCreateValue(registry);
        lock (byName)
        {
            if (!byName.TryGetValue(name, out var counter))
            {
                counter = registry.Counter(name, help);
                byName[name] = counter;
            }

            return counter;
        }
    }
}
