using System.Globalization;
using System.Net;
using OtelLab.Load.Traces;

namespace OtelLab.Scenarios.WhatIfs;

/// <summary>
/// A burst of error traces sent as the front service (from its pod's address) to the agent on its node, like
/// telemetrygen bypassing the services: the tail sampler's status_code policy must keep every one of them.
/// </summary>
public static class ErrorBurst
{
    public static async Task<WhatIfResult> SendAsync(SimLab lab, int traces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lab);
        var front = lab.Scenario.Load.Services.FirstOrDefault() ?? "checkout";
        var pod = lab.Pods().FirstOrDefault(p => p.Metadata.Labels?.TryGetValue("app", out var app) == true && app == front && p.Status?.PodIP is not null);
        if (pod?.Status.HostIP is not { } hostIp)
        {
            return WhatIfResult.Refused($"no running pod labelled app={front}");
        }

        // The fixed pipeline's agents take OTLP/gRPC on the node's hostPort 4317.
        var service = new EmulatedService(front, IPAddress.Parse(pod.Status.PodIP), new Uri($"http://{hostIp}:4317"))
        {
            Resource = new Dictionary<string, string> { ["k8s.pod.ip"] = pod.Status.PodIP },
        };
        var load = new TraceLoad(new TraceLoadOptions
        {
            Services = [service],
            TracesPerSecond = traces,
            ErrorRatio = 1.0,
            Seed = Environment.TickCount,
        });
        var report = await load.RunAsync(traces, cancellationToken).ConfigureAwait(false);
        return report.SpansFailed == 0
            ? WhatIfResult.Done(string.Create(CultureInfo.InvariantCulture, $"sent {report.TracesGenerated} error traces ({report.SpansSent} spans) as {front} from {pod.Metadata.Name} to the agent at {hostIp}:4317"))
            : WhatIfResult.Refused(string.Create(CultureInfo.InvariantCulture, $"sent {report.TracesGenerated} error traces; {report.SpansFailed} spans failed: {string.Join(", ", report.FailureReasons.Select(kv => $"{kv.Key}×{kv.Value}"))}"));
    }

}
