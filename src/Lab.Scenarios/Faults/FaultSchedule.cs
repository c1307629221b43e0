using System.Globalization;
using OtelLab.Backends;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Scenarios.Faults;

/// <summary>
/// Runs a scenario's <c>faults:</c> steps on the lab's clock from the start of the load: a backend fault goes through
/// the backend's own outage controls (<see cref="Backends.Faults.BackendFaults"/>: 503 with the retryable semantics,
/// 429 throttling, any other status as a fixed answer); a kill deletes the pod as <c>kubectl delete pod</c> does (the
/// kubelet stops it gracefully, the workload's controller replaces it). Never throws on a step: a step that cannot
/// be applied is recorded with the reason.
/// </summary>
public sealed class FaultSchedule : IAsyncDisposable
{
    private readonly List<FaultEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _run;

    private FaultSchedule(SimLab lab, IReadOnlyList<FaultSpec> steps, TimeProvider time, Action<string> log) =>
        _run = Task.Run(() => RunAsync(lab, steps, time, log, _stop.Token));

    /// <summary>The steps applied so far, in order.</summary>
    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static FaultSchedule Start(SimLab lab, IReadOnlyList<FaultSpec> steps, TimeProvider time, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(lab);
        ArgumentNullException.ThrowIfNull(steps);
        return new FaultSchedule(lab, steps, time, log);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped before the last step
        }

        _stop.Dispose();
    }

    private async Task RunAsync(SimLab lab, IReadOnlyList<FaultSpec> steps, TimeProvider time, Action<string> log, CancellationToken cancellationToken)
    {
        var start = time.GetUtcNow();
        foreach (var step in steps.OrderBy(s => s.At))
        {
            var wait = step.At - (time.GetUtcNow() - start);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
            }

            var fault = Apply(lab, step, time.GetUtcNow() - start);
            lock (_events)
            {
                _events.Add(fault);
            }

            log(string.Create(CultureInfo.InvariantCulture, $"+{fault.At.TotalSeconds:0.0}s {step}: {fault.Outcome}"));
        }
    }

    private static FaultEvent Apply(SimLab lab, FaultSpec step, TimeSpan at)
    {
        if (step.Kill is { } kill)
        {
            var pod = lab.Pods().Where(p => p.Metadata.NamespaceProperty == kill.Namespace && p.Metadata.DeletionTimestamp is null && p.Metadata.Name.StartsWith(kill.Name, StringComparison.Ordinal))
                .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal).FirstOrDefault();
            if (pod is null)
            {
                return new FaultEvent(step, at, $"no running pod named {kill.Name}… in namespace {kill.Namespace}");
            }

            // Hold the collector's instance (if it is one) before it goes: its counters say what it took with it.
            var collector = lab.CollectorOf(kill.Namespace, pod.Metadata.Name);
            var deleted = lab.Cluster!.Delete("Pod", kill.Namespace, pod.Metadata.Name);
            return new FaultEvent(step, at, deleted ? $"deleted pod {kill.Namespace}/{pod.Metadata.Name}" : $"pod {kill.Namespace}/{pod.Metadata.Name} was already gone", pod.Metadata.Name, collector);
        }

        IMockBackend? backend = step.Backend == "datadog" ? lab.Datadog : lab.Dynatrace;
        if (backend is null)
        {
            return new FaultEvent(step, at, $"the {step.Backend} backend is not running");
        }

        switch (step.Status)
        {
            case 503:
                backend.Faults.Unavailable(step.For);
                break;
            case 429:
                backend.Faults.Throttle(step.For, TimeSpan.FromSeconds(1));
                break;
            default:
                backend.Faults.Fail(step.For, step.Status);
                break;
        }

        return new FaultEvent(step, at, string.Create(CultureInfo.InvariantCulture, $"{backend.Name} answers {step.Status} until +{(at + step.For).TotalSeconds:0.0}s"));
    }
}
