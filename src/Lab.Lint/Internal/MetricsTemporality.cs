using OtelLab.Model.Collector;
using OtelLab.Model.Crds;
using OtelLab.Model.Manifests;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Lint.Internal;

/// <summary>
/// Follows a metrics pipeline back through the collector tiers that feed it (otlp/otlphttp and loadbalancing
/// exporters addressing its Service, connectors inside a collector) to where its points originate, and keeps the
/// paths on which cumulative points arrive with no <c>cumulativetodelta</c> on the way.
/// </summary>
internal sealed class MetricsTemporality(LintContext context)
{
    // Receivers whose sums are cumulative: upstream contrib receiver/prometheusreceiver (Prometheus counters keep a
    // start time), receiver/hostmetricsreceiver and receiver/kubeletstatsreceiver metadata.yaml
    // (aggregation_temporality: cumulative for their monotonic sums).
    private static readonly Dictionary<string, string> CumulativeReceivers = new(StringComparer.Ordinal)
    {
        ["prometheus"] = "Prometheus counters are cumulative",
        ["prometheus_simple"] = "Prometheus counters are cumulative",
        ["hostmetrics"] = "its monotonic sums are cumulative",
        ["kubeletstats"] = "its monotonic sums are cumulative",
    };

    /// <summary>The cumulative paths into the exporters of <paramref name="pipeline"/>; empty when every path is delta.</summary>
    public IReadOnlyList<CumulativeSource> Into(ManifestObject manifest, OpenTelemetryCollector collector, Pipeline pipeline) =>
        Trace(manifest, collector, pipeline, []).ToList();

    private IEnumerable<CumulativeSource> Trace(ManifestObject m, OpenTelemetryCollector c, Pipeline pipeline, HashSet<(string, ComponentId)> visited)
    {
        if (!visited.Add((m.Display, pipeline.Id)))
        {
            yield break;
        }

        var here = $"{m.Display} pipeline {pipeline.Id} at {pipeline.Location.FileAndLine}";

        // The last processor that sets temporality decides what leaves the pipeline: contrib
        // processor/cumulativetodeltaprocessor makes monotonic sums and histograms delta,
        // processor/deltatocumulativeprocessor makes them cumulative again.
        var converter = pipeline.Processors.LastOrDefault(p => p.Id.Type is "cumulativetodelta" or "deltatocumulative");
        if (converter?.Id.Type == "cumulativetodelta")
        {
            // include/exclude narrow it to the metrics they select: the others leave the pipeline as they came.
            var settings = c.Config.Processors.GetValueOrDefault(converter.Id)?.Settings;
            var narrowed = new[] { "include", "exclude" }.Where(k => YamlReader.Child(settings, k) is YamlMappingNode).ToList();
            if (narrowed.Count > 0)
            {
                yield return new CumulativeSource(false,
                    $"{here} converts with {converter.Id} only the metrics its {string.Join(" and ", narrowed)} select; any other cumulative sum passes unconverted");
            }

            yield break;
        }

        if (converter is not null)
        {
            yield return new CumulativeSource(true, $"{here} makes its points cumulative with {converter.Id}");
            yield break;
        }

        foreach (var receiver in pipeline.Receivers)
        {
            foreach (var source in FromReceiver(m, c, pipeline, receiver.Id, here, visited))
            {
                yield return source;
            }
        }
    }

    private IEnumerable<CumulativeSource> FromReceiver(
        ManifestObject m, OpenTelemetryCollector c, Pipeline pipeline, ComponentId receiver, string here, HashSet<(string, ComponentId)> visited)
    {
        if (c.Config.Connectors.TryGetValue(receiver, out var connector))
        {
            foreach (var source in FromConnector(m, c, connector, here, visited))
            {
                yield return source;
            }

            yield break;
        }

        if (CumulativeReceivers.TryGetValue(receiver.Type, out var why))
        {
            yield return new CumulativeSource(true, $"{here} receives cumulative points from receiver {receiver} ({why}) and forwards them unconverted");
            yield break;
        }

        if (receiver.Type != "otlp")
        {
            yield break;
        }

        var sent = false;
        foreach (var feed in CollectorGraph.FeedsInto(context, c))
        {
            foreach (var upstream in feed.Collector.Config.PipelinesOf("metrics").Where(p => p.Exporters.Any(e => e.Id == feed.Exporter.Id)))
            {
                sent = true;
                foreach (var source in Trace(feed.From, feed.Collector, upstream, visited))
                {
                    yield return source with { Evidence = $"{source.Evidence}, sent with {feed.Exporter.Id} to {here}" };
                }
            }
        }

        foreach (var (sender, cumulative) in InstrumentedMetricSenders.Into(context, c))
        {
            sent = true;
            if (cumulative)
            {
                yield return new CumulativeSource(true, $"{sender}, received by {here}");
            }
        }

        if (!sent)
        {
            yield return new CumulativeSource(false,
                $"{here} receives OTLP metrics on {receiver} from senders outside these manifests; OTLP SDKs send cumulative sums unless " +
                "OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta");
        }
    }

    private IEnumerable<CumulativeSource> FromConnector(
        ManifestObject m, OpenTelemetryCollector c, ComponentConfig connector, string here, HashSet<(string, ComponentId)> visited)
    {
        switch (connector.Id.Type)
        {
            // contrib connector/spanmetricsconnector: aggregation_temporality defaults to AGGREGATION_TEMPORALITY_CUMULATIVE.
            case "spanmetrics":
                var temporality = (YamlReader.Child(connector.Settings, "aggregation_temporality") as YamlScalarNode)?.Value;
                if (temporality != "AGGREGATION_TEMPORALITY_DELTA")
                {
                    yield return new CumulativeSource(true,
                        $"{here} receives cumulative sums from connector {connector.Id} (aggregation_temporality {temporality ?? "defaults to cumulative"})");
                }

                break;

            // forward and routing pass metrics through: follow the metrics pipelines that export to them.
            case "forward" or "routing":
                foreach (var upstream in c.Config.PipelinesOf("metrics").Where(p => p.Exporters.Any(e => e.Id == connector.Id)))
                {
                    foreach (var source in Trace(m, c, upstream, visited))
                    {
                        yield return source with { Evidence = $"{source.Evidence}, passed through {connector.Id} to {here}" };
                    }
                }

                break;
        }
    }
}
