using System.Globalization;
using OtelLab.Scenarios.Definition;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Scenarios.GitOps;

/// <summary>
/// Runs a scenario's <c>gitops.steps</c> in order on the lab's clock once the load starts: real git commits in the
/// scenario's repository (followed by a refresh of the Applications, as Argo CD's git webhook does), the change
/// board's decisions through the ServiceNow Table API, waits that measure how long the gate holds a sync, and waits
/// for the sync of the last commit. Never throws on a step: a step that cannot be done is recorded with the reason.
/// </summary>
public sealed class GitOpsSteps : IAsyncDisposable
{
    /// <summary>How long a decision step waits for a change request to be opened (lab time).</summary>
    public static readonly TimeSpan DecisionWait = TimeSpan.FromMinutes(5);

    private readonly List<GitOpsStepEvent> _events = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly GitOpsSpec _spec;
    private readonly string _repository;
    private readonly ArgoApplicationController _argo;
    private readonly ChangeBoard? _board;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private string? _head;

    private GitOpsSteps(GitOpsSpec spec, string repository, ArgoApplicationController argo, ChangeBoard? board, TimeProvider time, Action<string> log)
    {
        (_spec, _repository, _argo, _board, _time, _log) = (spec, repository, argo, board, time, log);
        Delete = (_, _, _) => false;
    }

    /// <summary>Deletes a live object (kind, namespace, name) as kubectl delete does; false when it was not there.</summary>
    public Func<string, string, string, bool> Delete { get; init; }

    /// <summary>Completes when every step has run (or the run stopped).</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    private void Begin() => Completion = Task.Run(() => RunAsync(_stop.Token));

    public IReadOnlyList<GitOpsStepEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    public static GitOpsSteps Start(GitOpsSpec spec, string repository, ArgoApplicationController argo, ChangeBoard? board, TimeProvider time, Action<string> log,
        Func<string, string, string, bool> delete)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(argo);
        var steps = new GitOpsSteps(spec, repository, argo, board, time, log) { Delete = delete };
        steps.Begin();
        return steps;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Completion.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped before the last step
        }

        _stop.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var start = _time.GetUtcNow();
        foreach (var step in _spec.Steps)
        {
            GitOpsStepEvent e;
            try
            {
                e = step.Kind switch
                {
                    GitOpsStepKind.Commit => await CommitAsync(step, start, cancellationToken).ConfigureAwait(false),
                    GitOpsStepKind.Approve or GitOpsStepKind.Reject => await DecideAsync(step, start, cancellationToken).ConfigureAwait(false),
                    GitOpsStepKind.Wait => await WaitAsync(step, start, cancellationToken).ConfigureAwait(false),
                    GitOpsStepKind.Delete => await DeleteAsync(step, start, cancellationToken).ConfigureAwait(false),
                    _ => await WaitForSyncAsync(step, start, cancellationToken).ConfigureAwait(false),
                };
            }
            catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
            {
                e = new GitOpsStepEvent(step, _time.GetUtcNow() - start, false, ex.Message);
            }

            lock (_events)
            {
                _events.Add(e);
            }

            _log(string.Create(CultureInfo.InvariantCulture, $"+{e.At.TotalSeconds:0.0}s {step}: {e.Outcome}"));
        }
    }

    private async Task<GitOpsStepEvent> CommitAsync(GitOpsStep step, DateTimeOffset start, CancellationToken cancellationToken)
    {
        _head = await GitOpsRepository.CommitAsync(_repository, _spec.Path, step, cancellationToken).ConfigureAwait(false);
        foreach (var app in _argo.Applications)
        {
            // Argo CD's git webhook: a push refreshes the Applications whose repository it is (util/webhook/webhook.go).
            _argo.Refresh(app);
        }

        return new GitOpsStepEvent(step, _time.GetUtcNow() - start, true, $"commit {_head[..7]} pushed; Applications refreshed") { Revision = _head };
    }

    private async Task<GitOpsStepEvent> DecideAsync(GitOpsStep step, DateTimeOffset start, CancellationToken cancellationToken)
    {
        if (_board is null)
        {
            return new GitOpsStepEvent(step, _time.GetUtcNow() - start, false, "no change gate: the scenario's gitops block has no changeGate");
        }

        var deadline = _time.GetUtcNow() + DecisionWait;
        while (true)
        {
            var pending = await _board.PendingAsync(cancellationToken).ConfigureAwait(false);
            if (pending.Count > 0)
            {
                var (approver, change) = pending[^1];
                var approve = step.Kind == GitOpsStepKind.Approve;
                var decided = await _board.DecideAsync(approver, change, approve, step.Text, cancellationToken).ConfigureAwait(false);
                var description = (string?)decided["short_description"] ?? string.Empty;
                return new GitOpsStepEvent(step, _time.GetUtcNow() - start, true,
                    $"change request {(string?)decided["number"]} {(approve ? "approved" : "rejected")} (state {(string?)decided["state"]}, approval {(string?)decided["approval"]}): {description}")
                {
                    Revision = _head is not null && description.Contains(_head[..7], StringComparison.Ordinal) ? _head : null,
                };
            }

            if (_time.GetUtcNow() >= deadline)
            {
                return new GitOpsStepEvent(step, _time.GetUtcNow() - start, false, $"no change request waited for approval within {DecisionWait.TotalSeconds:0} s");
            }

            await Task.Delay(TimeSpan.FromSeconds(1), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<GitOpsStepEvent> DeleteAsync(GitOpsStep step, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var (kind, ns, name) = step.Target!.Value;
        var deletedAt = _time.GetUtcNow();
        if (!Delete(kind, ns, name))
        {
            return new GitOpsStepEvent(step, deletedAt - start, false, $"{kind} {ns}/{name} does not exist");
        }

        // With selfHeal the Application recreates it (argo-cd appcontroller.go autoSync, self-heal path); bounded by a minute of lab time.
        var results = new List<string>();
        foreach (var app in _argo.Applications.Where(a => _argo.SpecOf(a).SelfHeal))
        {
            try
            {
                var scale = _time is Model.Time.LabClock lab ? lab.Scale : 1.0;
                var healed = await _argo.WaitForAsync(app, s => s.OperationState is { SelfHeal: true } o && o.FinishedAt > deletedAt
                    && o.Resources.Any(r => string.Equals(r.Kind, kind, StringComparison.OrdinalIgnoreCase) && r.Name == name), TimeSpan.FromMinutes(1) / (scale > 1.0 ? scale : 1.0), cancellationToken).ConfigureAwait(false);
                results.Add(string.Create(CultureInfo.InvariantCulture, $"{app} self-healed it {(healed.OperationState!.FinishedAt - deletedAt).TotalSeconds:0.0} s later ({healed.OperationState.Phase})"));
            }
            catch (TimeoutException)
            {
                return new GitOpsStepEvent(step, _time.GetUtcNow() - start, false, $"deleted; {app} did not recreate it within a minute");
            }
        }

        return new GitOpsStepEvent(step, _time.GetUtcNow() - start, true, "deleted; " + (results.Count > 0 ? string.Join("; ", results) : "no Application self-heals: it stays deleted"));
    }

    private async Task<GitOpsStepEvent> WaitAsync(GitOpsStep step, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var from = _time.GetUtcNow();
        await Task.Delay(step.Duration, _time, cancellationToken).ConfigureAwait(false);
        var held = _argo.Applications.Select(a => (Name: a, Status: _argo.StatusOf(a)))
            .Where(a => _head is not null && a.Status.Revision == _head && a.Status.OperationState?.Revision != _head)
            .Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.Name} {a.Status.SyncStatus} at {_head![..7]} for {(_time.GetUtcNow() - from).TotalSeconds:0.0} s, not synced")
                + (a.Status.Conditions.FirstOrDefault(c => c.Type == "ChangeGate") is { } gate ? $" ({gate.Message})" : string.Empty))
            .ToList();
        return new GitOpsStepEvent(step, _time.GetUtcNow() - start, true, held.Count > 0 ? "sync held: " + string.Join("; ", held) : "nothing held") { Revision = held.Count > 0 ? _head : null };
    }

    private async Task<GitOpsStepEvent> WaitForSyncAsync(GitOpsStep step, DateTimeOffset start, CancellationToken cancellationToken)
    {
        var from = _time.GetUtcNow();
        var head = _head;
        foreach (var app in _argo.Applications)
        {
            try
            {
                var remaining = step.Duration - (_time.GetUtcNow() - from);
                var scale = _time is Model.Time.LabClock lab ? lab.Scale : 1.0;
                var wall = remaining / (scale > 1.0 ? scale : 1.0);
                await _argo.WaitForAsync(app, s => s.SyncStatus == "Synced" && (head is null || s.OperationState is { Phase: "Succeeded" } o && o.Revision == head),
                    wall > TimeSpan.Zero ? wall : TimeSpan.FromMilliseconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                var status = _argo.StatusOf(app);
                return new GitOpsStepEvent(step, _time.GetUtcNow() - start, false,
                    $"{app} not synced at {head?[..7]} within {step.Duration.TotalSeconds:0} s: {status.SyncStatus}, last operation {status.OperationState?.Phase} at {status.OperationState?.Revision?[..7]}");
            }
        }

        var operations = _argo.Applications.Select(a => _argo.StatusOf(a).OperationState).OfType<OperationState>()
            .SelectMany(o => o.Resources).Select(r => $"{r.Kind}/{r.Name} {r.Status}");
        return new GitOpsStepEvent(step, _time.GetUtcNow() - start, true,
            string.Create(CultureInfo.InvariantCulture, $"synced at {head?[..7]} {(_time.GetUtcNow() - from).TotalSeconds:0.0} s after the step started: {string.Join(", ", operations)}")) { Revision = head };
    }
}
