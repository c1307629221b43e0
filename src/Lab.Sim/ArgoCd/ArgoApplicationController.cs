using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using k8s;
using OtelLab.Model.Crds;
using OtelLab.Sim.ArgoCd.Internal;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// An emulation of Argo CD's application controller (argo-cd controller/appcontroller.go, state.go, sync.go and
/// gitops-engine pkg/sync) that works only through the Kubernetes API: it renders each Application's source from git,
/// compares it with the live objects, and syncs — in wave and kind order, creating the destination namespace,
/// pruning, self-healing drift — automatically when the policy says so and the change gate allows it.
/// </summary>
public sealed class ArgoApplicationController : IAsyncDisposable
{
    /// <summary>upstream: pkg/apis/application/v1alpha1/application_defaults.go ResourcesFinalizerName (cascade, foreground).</summary>
    public const string ResourcesFinalizer = "resources-finalizer.argocd.argoproj.io";

    /// <summary>upstream: util/argo/resource_tracking.go — annotation tracking, the v3 default tracking method.</summary>
    public const string TrackingAnnotation = "argocd.argoproj.io/tracking-id";

    private readonly ResourceClient _client;
    private readonly GitSource _source;
    private readonly ArgoCdOptions _options;
    private readonly ISyncGate? _gate;
    private readonly TimeProvider _time;
    private readonly Action<string> _log;
    private readonly Random _jitter;
    private readonly ConcurrentDictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _loops = [];

    public ArgoApplicationController(IKubernetes kubernetes, GitSource source, ArgoCdOptions? options = null, ISyncGate? gate = null, TimeProvider? time = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(kubernetes);
        _client = new ResourceClient(kubernetes);
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = options ?? new ArgoCdOptions();
        _gate = gate;
        _time = time ?? TimeProvider.System;
        _log = log ?? (_ => { });
        _jitter = new Random(_options.JitterSeed);
    }

    /// <summary>Every status change, sync and self-heal with the lab time it happened at (the run's timeline).</summary>
    public ConcurrentQueue<(DateTimeOffset At, string Application, string What)> Timeline { get; } = new();

    /// <summary>Raised after each reconciliation of an Application (tests and checks wait on it).</summary>
    public event Action<string, ApplicationStatus>? Reconciled;

    public IReadOnlyCollection<string> Applications => _apps.Keys.ToList();

    public ApplicationStatus StatusOf(string application) => _apps.TryGetValue(application, out var s) ? s.Status : throw new KeyNotFoundException($"no Application {application}");

    public ArgoApplication SpecOf(string application) => _apps[application].Spec;

    /// <summary>Starts managing <paramref name="app"/>: an immediate refresh, then polling on the lab clock.</summary>
    public void Add(ArgoApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var state = new AppState(app);
        if (!_apps.TryAdd(app.Name, state))
        {
            throw new InvalidOperationException($"Application {app.Name} is already managed");
        }

        _loops.Add(Task.Run(() => RunAsync(state, _stopping.Token), CancellationToken.None));
    }

    /// <summary>
    /// The guide's teardown step 1, <c>kubectl patch app … -p '{"spec":{"syncPolicy":null}}'</c>: auto-sync, prune and
    /// self-heal off.
    /// </summary>
    public void DisableAutoSync(string application) => Update(application, s => s with { Automated = false, AutomatedPrune = false, SelfHeal = false, SyncOptions = [] });

    /// <summary>
    /// Replaces the Application's spec (an edit of the Application), refreshing it. An Application the API server
    /// serves is edited through the API instead (<c>kubectl patch application …</c>).
    /// </summary>
    public void Update(string application, Func<ArgoApplication, ArgoApplication> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var state = _apps[application];
        if (state.Served)
        {
            throw new InvalidOperationException($"Application {application} is served by the API server: change it there, e.g. kubectl patch application {application} -n {state.Spec.Namespace} --type merge -p '{{\"spec\":{{\"syncPolicy\":{{\"automated\":null}}}}}}'");
        }

        lock (state)
        {
            state.Spec = change(state.Spec);
            state.RefreshRequested = true;
        }

        Record(application, "spec updated");
    }

    /// <summary>A refresh (the <c>argocd.argoproj.io/refresh</c> annotation, or a git webhook): compare with the latest commit now.</summary>
    public void Refresh(string application) => _apps[application].RefreshRequested = true;

    /// <summary>Waits until <paramref name="condition"/> holds for the Application's status.</summary>
    public async Task<ApplicationStatus> WaitForAsync(string application, Func<ApplicationStatus, bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var done = new TaskCompletionSource<ApplicationStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReconciled(string name, ApplicationStatus status)
        {
            if (name == application && condition(status))
            {
                done.TrySetResult(status);
            }
        }

        Reconciled += OnReconciled;
        try
        {
            if (_apps.TryGetValue(application, out var s) && condition(s.Status))
            {
                return s.Status;
            }

            return await done.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Reconciled -= OnReconciled;
        }
    }

    /// <summary>
    /// Deletes the Application (argo-cd controller/appcontroller.go finalizeApplicationDeletion): with the resources
    /// finalizer, every live object it tracks is deleted, highest wave first (controller/sort_delete.go), never CRDs;
    /// without it the objects stay (a non-cascade delete). Returns what was deleted.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeleteAsync(string application, CancellationToken cancellationToken)
    {
        if (!_apps.TryGetValue(application, out var state))
        {
            throw new KeyNotFoundException($"no Application {application}");
        }

        if (state.Served)
        {
            // As kubectl delete does: the API server marks it, the reconcile loop finalizes it.
            await _client.DeleteAsync(ApplicationDocument.ApiVersion, ApplicationDocument.Kind, state.Spec.Namespace, state.Spec.Name, cancellationToken).ConfigureAwait(false);
            return await state.Gone.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        state.Deleting = true;
        await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await FinalizeAsync(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            state.Gate.Release();
        }
    }

    private async Task<IReadOnlyList<string>> FinalizeAsync(AppState state, CancellationToken cancellationToken)
    {
        var deleted = new List<string>();
        var left = new List<string>();
        if (!state.Spec.Finalizers.Contains(ResourcesFinalizer))
        {
            // A non-cascade delete: name what stays, unmanaged, so the wrong teardown order is plain.
            left.AddRange((await TrackedLiveAsync(state, cancellationToken).ConfigureAwait(false)).Select(o => Identity(o)).Select(o => $"{o.Kind} {o.Namespace}/{o.Name}"));
        }
        else
        {
            var live = await TrackedLiveAsync(state, cancellationToken).ConfigureAwait(false);
            foreach (var wave in live.Where(o => (string?)o["kind"] != "CustomResourceDefinition").GroupBy(o => SyncOrder.Wave(o)).OrderByDescending(g => g.Key))
            {
                foreach (var o in wave)
                {
                    var (apiVersion, kind, ns, name) = Identity(o);
                    if (await _client.DeleteAsync(apiVersion, kind, ns, name, cancellationToken).ConfigureAwait(false))
                    {
                        deleted.Add($"{kind} {ns}/{name}");
                    }
                }
            }
        }

        _apps.TryRemove(state.Spec.Name, out _);
        Record(state.Spec.Name, state.Spec.Finalizers.Contains(ResourcesFinalizer)
            ? $"deleted with cascade: {deleted.Count} object(s) deleted" + (deleted.Count == 0 ? string.Empty : ": " + string.Join(", ", deleted))
            : $"deleted without the resources finalizer (non-cascade): {left.Count} object(s) left behind, no longer managed"
                + (left.Count == 0 ? string.Empty : $": {string.Join(", ", left)} (the guide's teardown deletes with the finalizer {ResourcesFinalizer}, as argocd app delete --cascade sets it)"));
        state.Gone.TrySetResult(deleted);
        return deleted;
    }

    /// <summary>
    /// When the API server serves Applications (the CRD is installed), the served object is the truth: its spec is
    /// read back on every pass (a <c>kubectl patch</c> or <c>edit</c> takes effect), a source change triggers a
    /// refresh (upstream: appcontroller.go needRefreshAppStatus), and a deletionTimestamp runs the finalizer
    /// (finalizeApplicationDeletion). False when the Application is gone and the loop ends.
    /// </summary>
    private async Task<bool> FollowServedAsync(AppState state, CancellationToken cancellationToken)
    {
        var live = await _client.GetAsync(ApplicationDocument.ApiVersion, ApplicationDocument.Kind, state.Spec.Namespace, state.Spec.Name, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            if (state.Served)
            {
                // Deleted without the resources finalizer: the API server removed it at once (non-cascade).
                state.Spec = state.Spec with { Finalizers = [] };
                await FinalizeAsync(state, cancellationToken).ConfigureAwait(false);
                return false;
            }

            return true;
        }

        state.Served = true;
        var key = ApplicationDocument.SpecKey(live);
        if (key != state.SpecKey)
        {
            var spec = ApplicationDocument.Read(live, state.Spec.Namespace);
            if (state.SpecKey is not null)
            {
                Record(spec.Name, $"spec changed through the API (automated: {spec.Automated}, prune: {spec.AutomatedPrune}, selfHeal: {spec.SelfHeal}, finalizers: [{string.Join(", ", spec.Finalizers)}])");
            }

            if (spec.RepoUrl != state.Spec.RepoUrl || spec.Path != state.Spec.Path || spec.TargetRevision != state.Spec.TargetRevision || spec.DirectoryRecurse != state.Spec.DirectoryRecurse)
            {
                state.RefreshRequested = true;
            }

            state.SpecKey = key;
            state.Spec = spec;
        }

        if (live["metadata"]?["deletionTimestamp"] is null)
        {
            return true;
        }

        // upstream: finalizeApplicationDeletion — delete what the app tracks, then remove the resources finalizer.
        state.Deleting = true;
        await FinalizeAsync(state, cancellationToken).ConfigureAwait(false);
        var rest = state.Spec.Finalizers.Where(f => f != ResourcesFinalizer).ToList();
        await _client.MergePatchAsync(ApplicationDocument.ApiVersion, ApplicationDocument.Kind, state.Spec.Namespace, state.Spec.Name, new JsonObject
        {
            ["metadata"] = new JsonObject { ["finalizers"] = rest.Count == 0 ? null : new JsonArray([.. rest.Select(f => (JsonNode)f)]) },
        }, cancellationToken).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// upstream: appcontroller.go persistAppStatus — the status goes to the API as a merge patch of the whole
    /// Application (its CRD has no status subresource), and only when it changed.
    /// </summary>
    private async Task PersistStatusAsync(AppState state, CancellationToken cancellationToken)
    {
        if (!state.Served || state.Deleting)
        {
            return;
        }

        var status = ApplicationDocument.Status(state.Status, state.Target);
        var text = status.ToJsonString();
        if (text == state.WrittenStatus)
        {
            return;
        }

        await _client.MergePatchAsync(ApplicationDocument.ApiVersion, ApplicationDocument.Kind, state.Spec.Namespace, state.Spec.Name, new JsonObject { ["status"] = status }, cancellationToken).ConfigureAwait(false);
        state.WrittenStatus = text;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _stopping.Dispose();
    }

    private async Task RunAsync(AppState state, CancellationToken cancellationToken)
    {
        var nextRefresh = _time.GetUtcNow();
        while (!cancellationToken.IsCancellationRequested && !state.Deleting)
        {
            await state.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (state.Deleting || !await FollowServedAsync(state, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var latest = state.RefreshRequested || _time.GetUtcNow() >= nextRefresh;
                if (latest)
                {
                    state.RefreshRequested = false;

                    // upstream: the app informer resyncs every timeout.reconciliation plus rand.Float64() × jitter
                    // (appcontroller.go; defaults in argocd_application_controller.go).
                    nextRefresh = _time.GetUtcNow() + _options.ReconciliationTimeout + (_options.ReconciliationJitter * _jitter.NextDouble());
                }

                await ReconcileAsync(state, latest, cancellationToken).ConfigureAwait(false);
                await PersistStatusAsync(state, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // the controller keeps running whatever one reconciliation hits, as Argo's does
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log($"application {state.Spec.Name}: reconcile failed: {e.Message}");
                SetStatus(state, state.Status with { Conditions = [new ApplicationCondition("UnknownError", e.Message)] });
            }
            finally
            {
                state.Gate.Release();
            }

            try
            {
                await Task.Delay(_options.LiveCheckInterval, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileAsync(AppState state, bool latest, CancellationToken cancellationToken)
    {
        var app = state.Spec;
        if (latest || state.Target is null)
        {
            // CompareWithLatest: resolve the revision and render it (controller/state.go CompareAppState).
            try
            {
                var commit = await _source.ResolveAsync(app, cancellationToken).ConfigureAwait(false);
                if (state.Target is null || state.Target.Revision != commit)
                {
                    state.Target = await _source.RenderAsync(app, commit, cancellationToken).ConfigureAwait(false);
                    foreach (var o in state.Target.Objects)
                    {
                        state.Kinds.Add((o.ApiVersion, o.Kind));
                    }
                }

                state.ReconciledAt = _time.GetUtcNow();
                state.SourceError = null;
            }
            catch (SourceError e)
            {
                // upstream: state.go — "Failed to load target state: …" as a ComparisonError, sync status Unknown.
                if (state.SourceError != e.Describe())
                {
                    _log(e.Describe());
                    Record(app.Name, "ComparisonError: " + e.Describe());
                }

                state.SourceError = e.Describe();
                state.Target = null;
                SetStatus(state, state.Status with
                {
                    SyncStatus = "Unknown",
                    Conditions = [new ApplicationCondition("ComparisonError", "Failed to load target state: " + e.Describe())],
                });
                return;
            }
        }

        var comparison = await CompareAsync(state, cancellationToken).ConfigureAwait(false);
        // upstream: appcontroller.go processAppRefreshQueueItem — every refresh replaces SyncError with what autoSync
        // returns (none when it skips or starts a sync), so a new commit that syncs clears a failed one's SyncError.
        var conditions = state.Status.Conditions.Where(c => c.Type is "ChangeGate").ToList();
        var status = state.Status with
        {
            SyncStatus = comparison.OutOfSync ? "OutOfSync" : "Synced",
            Revision = state.Target!.Revision,
            Health = comparison.Health,
            Resources = comparison.Resources,
            ReconciledAt = state.ReconciledAt,
            Conditions = conditions,
        };
        SetStatus(state, status);
        if (state.Operation is not null)
        {
            // upstream: autoSync skips while an operation is in progress; the operation itself goes on.
            await ProgressAsync(state, cancellationToken).ConfigureAwait(false);
        }
        else if (state.Status.SyncStatus == "OutOfSync")
        {
            await AutoSyncAsync(state, comparison, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// upstream: controller/appcontroller.go autoSync — only when automated and OutOfSync; only-prunes without prune is
    /// skipped; a revision already attempted is synced again only by self-heal (after the backoff), and never when its
    /// last attempt failed.
    /// </summary>
    private async Task AutoSyncAsync(AppState state, Comparison comparison, CancellationToken cancellationToken)
    {
        var app = state.Spec;
        if (!app.Automated || state.Deleting)
        {
            return;
        }

        if (!app.AutomatedPrune && comparison.Resources.All(r => r.Status == "Synced" || r.RequiresPruning))
        {
            // upstream: "Skipping auto-sync: need to prune extra resources only but automated prune is disabled"
            return;
        }

        var revision = state.Target!.Revision;
        var last = state.Status.OperationState;
        var selfHeal = false;
        if (last is not null && last.Revision == revision)
        {
            if (last.Phase != "Succeeded")
            {
                SetCondition(state, new ApplicationCondition("SyncError", $"Failed last sync attempt to {revision}: {last.Message}"));
                return;
            }

            if (!app.SelfHeal)
            {
                // upstream: without selfHeal drift alone never triggers a sync (docs/user-guide/auto_sync.md).
                return;
            }

            // upstream: selfHealRemainingBackoff — wait.Backoff{2s, ×3, cap 300s} stepped by the prior heal attempts:
            // 0, 2, 6, 18, 54, 162, 300 s after the last operation finished.
            var delay = SelfHealDelay(state.HealAttempts);
            if (_time.GetUtcNow() - last.FinishedAt < delay)
            {
                return;
            }

            selfHeal = true;
        }
        else if (_gate is not null)
        {
            var decision = await ReviewAsync(state, revision, last?.Revision, cancellationToken).ConfigureAwait(false);
            if (decision is not null && decision.Verdict != GateVerdict.Approved)
            {
                SetCondition(state, new ApplicationCondition("ChangeGate", decision.Message));
                return;
            }
        }

        state.Operation = Plan(state, selfHeal);
        await ProgressAsync(state, cancellationToken).ConfigureAwait(false);
    }

    internal TimeSpan SelfHealDelay(int attempts)
    {
        if (attempts == 0)
        {
            return TimeSpan.Zero;
        }

        var delay = _options.SelfHealBackoffTimeout * Math.Pow(_options.SelfHealBackoffFactor, attempts - 1);
        return delay > _options.SelfHealBackoffCap ? _options.SelfHealBackoffCap : delay;
    }

    private async Task<GateDecision?> ReviewAsync(AppState state, string revision, string? previous, CancellationToken cancellationToken)
    {
        var app = state.Spec;
        if (!state.GateRequests.TryGetValue(revision, out var request))
        {
            var diff = previous is null ? "(first sync)" : await _source.DiffSummaryAsync(app, previous, revision, cancellationToken).ConfigureAwait(false);
            if (previous is not null && diff.Length == 0)
            {
                // The commit does not touch the Application's path: nothing to gate.
                return null;
            }

            var subject = await _source.SubjectAsync(app, revision, cancellationToken).ConfigureAwait(false);
            request = new GateRequest(app.Name, app.Path ?? ".", revision, previous, subject, diff);
            state.GateRequests[revision] = request;
        }

        var decision = await _gate!.ReviewAsync(request, cancellationToken).ConfigureAwait(false);
        if (state.LastGateMessage != decision.Message)
        {
            state.LastGateMessage = decision.Message;
            Record(app.Name, $"change gate {decision.Reference}: {decision.Verdict} ({decision.Message})");
        }

        return decision;
    }

    /// <summary>
    /// A sync operation's plan (gitops-engine pkg/sync/sync_context.go Sync, sync_tasks.go Sort): the target objects
    /// grouped by wave in <see cref="SyncOrder"/>; a self-heal syncs only the objects that are not Synced.
    /// </summary>
    private SyncOperation Plan(AppState state, bool selfHeal)
    {
        var outOfSync = state.Status.Resources.Where(r => r.Status != "Synced").Select(r => $"{r.Group}/{r.Kind}/{r.Namespace}/{r.Name}").ToHashSet(StringComparer.Ordinal);
        var steps = SyncOrder.Sort(state.Target!.Objects)
            .Where(x => !selfHeal || outOfSync.Contains(x.Object.Key))
            .GroupBy(x => x.Wave)
            .Select(g => (IReadOnlyList<(TargetObject, int)>)g.ToList())
            .ToList();
        return new SyncOperation(state.Target.Revision, selfHeal, _time.GetUtcNow(), steps);
    }

    /// <summary>
    /// Runs the operation as far as it can go now (gitops-engine sync_context.go Sync): the destination namespace
    /// when CreateNamespace=true (a PreSync task, controller/sync_namespace.go), then wave by wave with the wave
    /// delay between waves; when the sync has more than one phase or wave (sync_tasks.go multiStep) each wave's
    /// objects must be Healthy before the next wave — Degraded fails the operation, any other health keeps it Running
    /// ("waiting for healthy state of …"), objects without a health check pass at once; then the prunes.
    /// </summary>
    private async Task ProgressAsync(AppState state, CancellationToken cancellationToken)
    {
        var op = state.Operation!;
        var app = state.Spec;
        if (op.RetryAt is { } retryAt && _time.GetUtcNow() < retryAt)
        {
            return;
        }

        if (!op.Begun)
        {
            op.Begun = true;
            var namespaceTask = false;
            if (app.SyncOptions.Contains("CreateNamespace=true") && app.DestinationNamespace is { } ns
                && !state.Target!.Objects.Any(o => o.Kind == "Namespace" && o.Name == ns)
                && await _client.GetAsync("v1", "Namespace", null, ns, cancellationToken).ConfigureAwait(false) is null)
            {
                // upstream: controller/sync_namespace.go — an untracked Namespace, created before everything else, never pruned.
                await _client.CreateAsync(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } }, cancellationToken).ConfigureAwait(false);
                op.Results.Add(new ResourceResult("Namespace", null, ns, "Synced", "namespace/" + ns + " created", -1));
                namespaceTask = true;
            }

            op.MultiStep = op.Steps.Count + (namespaceTask ? 1 : 0) > 1;
        }

        while (true)
        {
            if (op.Waiting.Count > 0)
            {
                var pending = new List<TargetObject>();
                foreach (var obj in op.Waiting)
                {
                    var live = await _client.GetAsync(obj.ApiVersion, obj.Kind, obj.Namespace, obj.Name, cancellationToken).ConfigureAwait(false);
                    if (live is null)
                    {
                        // upstream: sync_context.go — "Resource %s/%s/%s is missing, it might have been deleted".
                        await FinishAsync(state, "Failed", $"Resource {obj.Group}/{obj.Kind}/{obj.Name} is missing, it might have been deleted", cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    var health = ResourceHealth.Of(live);
                    if (health?.Status == HealthStatus.Degraded)
                    {
                        await FinishAsync(state, "Failed", $"one or more synchronization tasks completed unsuccessfully: {obj.Kind}/{obj.Name} is Degraded: {health.Message}", cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    if (health is not null && health.Status != HealthStatus.Healthy)
                    {
                        pending.Add(obj);
                    }
                }

                op.Waiting = pending;
                if (pending.Count > 0)
                {
                    // upstream: sync_context.go setRunningPhase — "waiting for healthy state of group/Kind/name and N more resources".
                    var first = pending[0];
                    var message = $"waiting for healthy state of {first.Group}/{first.Kind}/{first.Name}" + (pending.Count > 1 ? $" and {pending.Count - 1} more resources" : string.Empty);
                    SetOperation(state, op, "Running", message);
                    return;
                }
            }

            if (op.Next >= op.Steps.Count)
            {
                break;
            }

            if (op.Next > 0 && _options.SyncWaveDelay > TimeSpan.Zero)
            {
                await Task.Delay(_options.SyncWaveDelay, _time, cancellationToken).ConfigureAwait(false);
            }

            var step = op.Steps[op.Next++];
            foreach (var (obj, wave) in step)
            {
                op.Results.Add(await ApplyAsync(app, obj, wave, cancellationToken).ConfigureAwait(false));
            }

            var failed = op.Results.Where(r => r.Status == "SyncFailed").ToList();
            if (failed.Count > 0)
            {
                await FinishAsync(state, "Failed", "one or more objects failed to apply, reason: " + string.Join("; ", failed.Select(f => f.Message)), cancellationToken).ConfigureAwait(false);
                return;
            }

            if (op.MultiStep)
            {
                op.Waiting = step.Select(s => s.Object).ToList();
            }
        }

        foreach (var extra in state.Status.Resources.Where(r => r.RequiresPruning).OrderByDescending(r => r.SyncWave))
        {
            if (!app.AutomatedPrune)
            {
                // upstream: sync_context.go pruneObject — "ignored (requires pruning)".
                op.Results.Add(new ResourceResult(extra.Kind, extra.Namespace, extra.Name, "PruneSkipped", "ignored (requires pruning)", extra.SyncWave));
                continue;
            }

            var apiVersion = state.Kinds.FirstOrDefault(k => k.Kind == extra.Kind && (k.ApiVersion.StartsWith(extra.Group + "/", StringComparison.Ordinal) || extra.Group.Length == 0)).ApiVersion ?? "v1";
            await _client.DeleteAsync(apiVersion, extra.Kind, extra.Namespace, extra.Name, cancellationToken).ConfigureAwait(false);
            op.Results.Add(new ResourceResult(extra.Kind, extra.Namespace, extra.Name, "Pruned", "pruned", extra.SyncWave));
        }

        await FinishAsync(state, "Succeeded", "successfully synced (all tasks run)", cancellationToken).ConfigureAwait(false);
    }

    private void SetOperation(AppState state, SyncOperation op, string phase, string message)
    {
        SetStatus(state, state.Status with { OperationState = new OperationState(phase, message, op.Revision, [.. op.Results], op.StartedAt, _time.GetUtcNow(), op.SelfHeal) });
        if (op.LastMessage != message)
        {
            op.LastMessage = message;
            Record(state.Spec.Name, $"{(op.SelfHeal ? "self-heal" : "sync")} to {op.Revision[..7]}: {phase}, {message}");
        }
    }

    /// <summary>Completes the operation: its result, the self-heal count, the change request closed, and a fresh comparison.</summary>
    private async Task FinishAsync(AppState state, string phase, string message, CancellationToken cancellationToken)
    {
        var op = state.Operation!;
        var app = state.Spec;
        if (phase == "Failed" && op.RetryCount < _options.AutomatedRetryLimit)
        {
            // upstream: appcontroller.go processRequestedAppOperations — a failed attempt with retries left goes back to
            // Running until NextRetryAt (types.go: 5 s × 2^retries, at most 3 min); automated syncs without a retry
            // policy get Limit 5 (autoSync).
            var wait = _options.RetryBackoff * Math.Pow(_options.RetryBackoffFactor, op.RetryCount);
            var at = _time.GetUtcNow() + (wait > _options.RetryBackoffCap ? _options.RetryBackoffCap : wait);
            op.RetryCount++;
            op.RetryAt = at;
            op.Reset();
            SetOperation(state, op, "Running", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{message}. Retrying attempt #{op.RetryCount} at {at.UtcDateTime:h:mmtt}."));
            return;
        }

        if (op.SelfHeal && phase == "Succeeded")
        {
            // before the status change that wakes waiters
            RecordCameBack(state, op);
        }

        var operation = new OperationState(phase, message, op.Revision, [.. op.Results], op.StartedAt, _time.GetUtcNow(), op.SelfHeal);
        state.Operation = null;
        SetStatus(state, state.Status with { OperationState = operation });
        Record(app.Name, $"{(op.SelfHeal ? "self-heal" : "sync")} to {op.Revision[..7]}: {operation.Phase}; {string.Join(", ", op.Results.Select(r => $"{r.Kind}/{r.Name} {r.Status}"))}"
            + (phase == "Succeeded" ? string.Empty : ": " + message));
        state.HealAttempts = op.SelfHeal ? state.HealAttempts + 1 : 0;
        if (!op.SelfHeal && _gate is not null && state.GateRequests.TryGetValue(op.Revision, out var request))
        {
            await _gate.CompleteAsync(request, operation, cancellationToken).ConfigureAwait(false);
        }

        // Re-compare right away so the status shows the sync's effect (Argo requests a refresh after an operation).
        var after = await CompareAsync(state, cancellationToken).ConfigureAwait(false);
        SetStatus(state, state.Status with
        {
            SyncStatus = after.OutOfSync ? "OutOfSync" : "Synced",
            Health = after.Health,
            Resources = after.Resources,
            Conditions = state.Status.Conditions.Where(c => c.Type != "ChangeGate").ToList(),
        });
    }

    private async Task<ResourceResult> ApplyAsync(ArgoApplication app, TargetObject obj, int wave, CancellationToken cancellationToken)
    {
        var desired = obj.Object.DeepClone().AsObject();
        if (obj.Kind != "CustomResourceDefinition")
        {
            // upstream: repository.go — tracking set on every object but CRDs.
            var meta = desired["metadata"] as JsonObject ?? [];
            var annotations = meta["annotations"] as JsonObject ?? [];
            annotations[TrackingAnnotation] = TrackingId(app.Name, obj.Group, obj.Kind, obj.Namespace, obj.Name);
            meta["annotations"] = annotations;
            desired["metadata"] = meta;
        }

        try
        {
            var live = await _client.GetAsync(obj.ApiVersion, obj.Kind, obj.Namespace, obj.Name, cancellationToken).ConfigureAwait(false);
            if (live is null)
            {
                await _client.CreateAsync(desired, cancellationToken).ConfigureAwait(false);
                return new ResourceResult(obj.Kind, obj.Namespace, obj.Name, "Synced", $"{obj.Kind.ToLowerInvariant()}/{obj.Name} created", wave);
            }

            // kubectl apply keeps what others set on the object; replace keeps the server's fields and the status.
            desired["metadata"]!["resourceVersion"] = (string?)live["metadata"]?["resourceVersion"];
            await _client.ReplaceAsync(desired, cancellationToken).ConfigureAwait(false);
            return new ResourceResult(obj.Kind, obj.Namespace, obj.Name, "Synced", $"{obj.Kind.ToLowerInvariant()}/{obj.Name} configured", wave);
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            // upstream: gitops-engine sync_context.go — the task's message is the API server's error (its Status message,
            // as kubectl prints it); the file:line of the manifest in git goes first so the commit to fix is plain.
            return new ResourceResult(obj.Kind, obj.Namespace, obj.Name, "SyncFailed", $"{obj.Location}: {StatusMessage(e)}", wave);
        }
    }

    /// <summary>The <c>message</c> of the API server's Status body, else the HTTP status and the raw body.</summary>
    private static string StatusMessage(k8s.Autorest.HttpOperationException e)
    {
        try
        {
            if (JsonNode.Parse(e.Response.Content ?? string.Empty)?["message"] is JsonValue message && message.TryGetValue(out string? text))
            {
                return text;
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // not a Status body: fall through to the raw text
        }

        return $"HTTP {(int)e.Response.StatusCode}: {e.Response.Content}";
    }

    /// <summary>upstream: util/argo/resource_tracking.go — <c>app:group/Kind:namespace/name</c>.</summary>
    public static string TrackingId(string application, string group, string kind, string? ns, string name) => $"{application}:{group}/{kind}:{ns}/{name}";

    private async Task<Comparison> CompareAsync(AppState state, CancellationToken cancellationToken)
    {
        var resources = new List<ResourceStatus>();
        var healths = new List<HealthStatus>();
        var anyLive = false;
        var targetKeys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (obj, wave) in SyncOrder.Sort(state.Target!.Objects))
        {
            var key = TrackingId(state.Spec.Name, obj.Group, obj.Kind, obj.Namespace, obj.Name);
            targetKeys.Add(key);
            var live = await _client.GetAsync(obj.ApiVersion, obj.Kind, obj.Namespace, obj.Name, cancellationToken).ConfigureAwait(false);
            if (live is null)
            {
                state.MissingSince.TryAdd(key, _time.GetUtcNow());
                // upstream: a target without a live object is OutOfSync and Missing (state.go CompareAppState).
                resources.Add(new ResourceStatus(obj.Group, obj.Kind, obj.Namespace, obj.Name, "OutOfSync", HealthStatus.Missing, false, wave));
                continue;
            }

            state.MissingSince.Remove(key);
            anyLive = true;
            var health = ResourceHealth.Of(live);
            if (health is not null)
            {
                healths.Add(health.Status);
            }

            resources.Add(new ResourceStatus(obj.Group, obj.Kind, obj.Namespace, obj.Name, LiveDiff.Differs(obj.Object, live) ? "OutOfSync" : "Synced", health?.Status, false, wave));
        }

        foreach (var live in await TrackedLiveAsync(state, cancellationToken).ConfigureAwait(false))
        {
            var id = (string?)live["metadata"]?["annotations"]?[TrackingAnnotation];
            if (id is not null && !targetKeys.Contains(id))
            {
                // upstream: a live object tracked by the app but gone from git requires pruning and is OutOfSync.
                var (apiVersion, kind, ns, name) = Identity(live);
                var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
                resources.Add(new ResourceStatus(group, kind, ns, name, "OutOfSync", ResourceHealth.Of(live)?.Status, true, SyncOrder.Wave(live)));
                anyLive = true;
            }
        }

        // upstream (v3.4+ controller/health.go): missing resources do not lower health; the app is Missing only when nothing is live.
        var appHealth = !anyLive && resources.Count > 0 ? HealthStatus.Missing : ResourceHealth.Worst(healths);
        return new Comparison(resources.Any(r => r.Status != "Synced"), appHealth, resources);
    }

    private async Task<List<JsonObject>> TrackedLiveAsync(AppState state, CancellationToken cancellationToken)
    {
        var tracked = new List<JsonObject>();
        foreach (var (apiVersion, kind) in state.Kinds.ToList())
        {
            foreach (var live in await _client.ListAsync(apiVersion, kind, cancellationToken).ConfigureAwait(false))
            {
                var id = (string?)live["metadata"]?["annotations"]?[TrackingAnnotation];
                // upstream: gitops-engine pkg/cache/cluster.go GetManagedLiveObjs — objects with owner references are
                // not managed (the operator copies the CR's annotations, tracking id included, onto its children).
                if (id is not null && id.StartsWith(state.Spec.Name + ":", StringComparison.Ordinal) && live["metadata"]?["ownerReferences"] is not JsonArray { Count: > 0 })
                {
                    tracked.Add(live);
                }
            }
        }

        return tracked;
    }

    private static (string ApiVersion, string Kind, string? Namespace, string Name) Identity(JsonObject o) =>
        ((string?)o["apiVersion"] ?? string.Empty, (string?)o["kind"] ?? string.Empty, (string?)o["metadata"]?["namespace"], (string?)o["metadata"]?["name"] ?? string.Empty);

    private void SetCondition(AppState state, ApplicationCondition condition)
    {
        var conditions = state.Status.Conditions.Where(c => c.Type != condition.Type).Append(condition).ToList();
        SetStatus(state, state.Status with { Conditions = conditions });
    }

    private void SetStatus(AppState state, ApplicationStatus status)
    {
        var before = state.Status;
        state.Status = status;
        if (before.SyncStatus != status.SyncStatus || before.Health != status.Health || before.Revision != status.Revision)
        {
            Record(state.Spec.Name, $"sync {status.SyncStatus} at {status.Revision?[..Math.Min(7, status.Revision.Length)]}, health {status.Health}"
                + (status.SyncStatus == "OutOfSync" ? ": " + string.Join(", ", status.Resources.Where(r => r.Status != "Synced").Select(r => $"{r.Kind}/{r.Name}{(r.RequiresPruning ? " (requires pruning)" : r.Health == HealthStatus.Missing ? " (missing)" : string.Empty)}")) : string.Empty));
        }

        Reconciled?.Invoke(state.Spec.Name, status);
    }

    /// <summary>
    /// The guide's self-heal pitfall, named: objects deleted (or edited) while auto-sync and self-heal are on come back.
    /// Records what a self-heal recreated, with how long after it was first seen missing (lab time), and what it reverted.
    /// </summary>
    private void RecordCameBack(AppState state, SyncOperation op)
    {
        var now = _time.GetUtcNow();
        var undone = op.Results.Where(r => r.Status == "Synced" && r.Kind != "Namespace").Select(r =>
        {
            var what = $"{r.Kind} {r.Namespace}/{r.Name}";
            if (!r.Message.EndsWith(" created", StringComparison.Ordinal))
            {
                return what + " reverted to git";
            }

            var group = state.Target?.Objects.FirstOrDefault(o => o.Kind == r.Kind && o.Name == r.Name && o.Namespace == r.Namespace)?.Group ?? string.Empty;
            return state.MissingSince.TryGetValue(TrackingId(state.Spec.Name, group, r.Kind, r.Namespace, r.Name), out var since)
                ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{what} recreated {(now - since).TotalSeconds:0.0} s after Argo CD saw it missing")
                : what + " recreated";
        }).ToList();
        if (undone.Count > 0)
        {
            Record(state.Spec.Name, $"came back: {string.Join(", ", undone)} (changed live while auto-sync with selfHeal is on; the guide's teardown turns auto-sync off first)");
        }
    }

    private void Record(string application, string what)
    {
        Timeline.Enqueue((_time.GetUtcNow(), application, what));
        _log($"application {application}: {what}");
    }

    private sealed record Comparison(bool OutOfSync, HealthStatus Health, IReadOnlyList<ResourceStatus> Resources);

    private sealed class AppState(ArgoApplication spec)
    {
        public ArgoApplication Spec { get; set; } = spec;

        public ApplicationStatus Status { get; set; } = new();

        public RenderedSource? Target { get; set; }

        public HashSet<(string ApiVersion, string Kind)> Kinds { get; } = [];

        public Dictionary<string, GateRequest> GateRequests { get; } = new(StringComparer.Ordinal);

        public string? LastGateMessage { get; set; }

        public string? SourceError { get; set; }

        public DateTimeOffset? ReconciledAt { get; set; }

        public int HealAttempts { get; set; }

        /// <summary>When each target (by tracking id) was first seen without a live object, until it is live again.</summary>
        public Dictionary<string, DateTimeOffset> MissingSince { get; } = new(StringComparer.Ordinal);

        /// <summary>The sync operation in progress, or null.</summary>
        public SyncOperation? Operation { get; set; }

        /// <summary>The API server serves this Application (its CRD is installed): spec read from it, status written to it.</summary>
        public bool Served { get; set; }

        public string? SpecKey { get; set; }

        public string? WrittenStatus { get; set; }

        public TaskCompletionSource<IReadOnlyList<string>> Gone { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool RefreshRequested;

        public volatile bool Deleting;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
