using OtelLab.Tests.Support;
using k8s;
using k8s.Models;
using OtelLab.Sim.ArgoCd;

namespace OtelLab.Tests.Sim.ArgoCd;

/// <summary>The emulated application controller against the sim's Kubernetes API, syncing from a real git repository.</summary>
[Trait("Category", "Lab")]
public sealed class ArgoApplicationControllerTests
{
    private const string Path = "clusters/eks-prod/otel";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private const string Collector = """
        apiVersion: opentelemetry.io/v1beta1
        kind: OpenTelemetryCollector
        metadata:
          name: otel-gateway
        spec:
          mode: deployment
          config:
            receivers:
              otlp:
                protocols:
                  grpc: {}
            exporters:
              debug: {}
            service:
              pipelines:
                traces:
                  receivers: [otlp]
                  exporters: [debug]
        """;

    private const string Service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: otel-gateway-api
        spec:
          selector:
            app: otel
          ports:
            - port: 4317
        """;

    private const string Account = """
        apiVersion: v1
        kind: ServiceAccount
        metadata:
          name: otel-collector
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(ControllerHarness H, string Sha)> SyncedAsync(bool prune = true, bool selfHeal = true, double scale = 20)
    {
        var h = (await ControllerHarness.StartAsync(scale)).ReportCollectorsReady();
        h.Repo.Write($"{Path}/collector.yaml", Collector).Write($"{Path}/service.yaml", Service).Write($"{Path}/account.yaml", Account)
            .Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings")).Write($"{Path}/early.yaml", ControllerHarness.ConfigMap("early", wave: -1));
        var sha = h.Repo.Commit("the otel pipeline");
        h.Start().Add(ControllerHarness.App(prune, selfHeal));
        await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.Revision == sha && s.OperationState?.Phase == "Succeeded", Timeout, Ct);
        return (h, sha);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_sync_creates_the_namespace_then_applies_waves_then_kinds_in_argos_order()
    {
        var (h, sha) = await SyncedAsync();
        await using var _ = h;
        var status = h.Controller.StatusOf("otel-pipeline");

        // upstream: sync_namespace.go (CreateNamespace first), sync_tasks.go (wave, then kindOrder, CRs last)
        // (a sync retried on a loaded machine reports the namespace only in the attempt that created it: when listed, it is first)
        var applied = status.OperationState!.Resources.Select(r => $"{r.Kind}/{r.Name}").ToList();
        Assert.Equal(["ConfigMap/early", "ServiceAccount/otel-collector", "ConfigMap/settings", "Service/otel-gateway-api", "OpenTelemetryCollector/otel-gateway"],
            applied.Where(r => r != "Namespace/observability"));
        Assert.True(!applied.Contains("Namespace/observability") || applied[0] == "Namespace/observability", string.Join(", ", applied));
        Assert.NotNull(await h.Client.CoreV1.ReadNamespaceAsync("observability", cancellationToken: Ct));
        Assert.Equal("Succeeded", status.OperationState.Phase);
        Assert.Equal(sha, status.Revision);
        Assert.NotNull(await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct));
        var cm = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct);
        Assert.Equal("otel-pipeline:/ConfigMap:observability/settings", cm.Metadata.Annotations[ArgoApplicationController.TrackingAnnotation]);

        // The collector reports 1/1 replicas: health.lua's "All replicas are ready", and the app is Healthy.
        Assert.Equal(HealthStatus.Healthy, status.Health);
        Assert.Equal(HealthStatus.Healthy, status.Resources.Single(r => r.Kind == "OpenTelemetryCollector").Health);
        Assert.Equal(HealthStatus.Healthy, status.Resources.Single(r => r.Kind == "Service").Health);
        Assert.Null(status.Resources.Single(r => r.Name == "settings").Health);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Each_wave_waits_until_its_resources_are_healthy_and_a_degraded_one_fails_the_sync_after_its_retries()
    {
        // Given: a daemonset collector in wave 0 (the operator v0.113 reports no statusReplicas for a DaemonSet:
        // health.lua "Scale status not available", Progressing), a ConfigMap in wave 1
        var h = await ControllerHarness.StartAsync(20);
        await using var _ = h;
        var agent = Collector.Replace("mode: deployment", "mode: daemonset", StringComparison.Ordinal).Replace("otel-gateway", "otel-agent", StringComparison.Ordinal);
        h.Repo.Write($"{Path}/agent.yaml", agent).Write($"{Path}/after.yaml", ControllerHarness.ConfigMap("after", wave: 1));
        h.Repo.Commit("agent, then its settings");
        h.Start().Add(ControllerHarness.App());

        // When
        var held = await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState is { Phase: "Running" }, Timeout, Ct);
        var heldAt = h.Clock.GetUtcNow();
        await h.Controller.WaitForAsync("otel-pipeline", _ => h.Clock.GetUtcNow() - heldAt > TimeSpan.FromSeconds(10), Timeout, Ct);
        var stillHeld = h.Controller.StatusOf("otel-pipeline").OperationState!;
        var beforeReady = await h.Client.CoreV1.ListNamespacedConfigMapAsync("observability", cancellationToken: Ct);
        var readyAt = h.Clock.GetUtcNow();
        await h.SetCollectorReplicasAsync("observability", "otel-agent", "1/1");
        var done = (await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState is { Phase: "Succeeded" }, Timeout, Ct)).OperationState!;

        TestContext.Current.TestOutputHelper?.WriteLine($"held {(readyAt - heldAt).TotalSeconds:F1} s ({stillHeld.Message}); wave 1 done {(done.FinishedAt - readyAt).TotalSeconds:F1} s after the agent was ready");

        // Then: upstream sync_context.go — multi-step syncs wait for Healthy ("waiting for healthy state of …"), then the wave delay
        Assert.Equal("waiting for healthy state of opentelemetry.io/OpenTelemetryCollector/otel-agent", held.OperationState!.Message);
        Assert.Equal("Running", stillHeld.Phase);
        Assert.DoesNotContain(beforeReady.Items, c => c.Metadata.Name == "after");
        Assert.Equal(["Namespace/observability", "OpenTelemetryCollector/otel-agent", "ConfigMap/after"], done.Resources.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.True(done.FinishedAt - readyAt >= TimeSpan.FromSeconds(2), $"wave 1 applied {(done.FinishedAt - readyAt).TotalSeconds:F2} s after wave 0 was healthy (ARGOCD_SYNC_WAVE_DELAY 2 s)");
        Assert.NotNull(await h.Client.CoreV1.ReadNamespacedConfigMapAsync("after", "observability", cancellationToken: Ct));

        // When: the next revision adds a deployment collector; without kubelets its Deployment has no ready replica, so
        // the operator reports 0/0 (health.lua: "No replicas are ready" → Degraded)
        h.Repo.Write($"{Path}/gateway.yaml", Collector).Write($"{Path}/later.yaml", ControllerHarness.ConfigMap("later", wave: 1));
        var second = h.Repo.Commit("the gateway, and more settings");
        h.Controller.Refresh("otel-pipeline");
        var failed = (await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState is { Phase: "Failed" } o && o.Revision == second, Timeout, Ct)).OperationState!;

        // Then: retried 5 times (upstream autoSync Limit 5, backoff 5 s × 2^n) and the wave after the degraded one is never applied
        Assert.StartsWith("one or more synchronization tasks completed unsuccessfully", failed.Message, StringComparison.Ordinal);
        Assert.Contains("otel-gateway is Degraded: No replicas are ready", failed.Message, StringComparison.Ordinal);
        Assert.Contains(h.Controller.Timeline, e => e.What.Contains("Retrying attempt #5 at", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Controller.Timeline, e => e.What.Contains("Retrying attempt #6", StringComparison.Ordinal));
        Assert.True(failed.FinishedAt - failed.StartedAt >= TimeSpan.FromSeconds(5 + 10 + 20 + 40 + 80), $"failed {(failed.FinishedAt - failed.StartedAt).TotalSeconds:F0} s after it started");
        var after = await h.Client.CoreV1.ListNamespacedConfigMapAsync("observability", cancellationToken: Ct);
        Assert.DoesNotContain(after.Items, c => c.Metadata.Name == "later");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_new_commit_is_synced_by_polling_within_the_reconciliation_period_plus_jitter()
    {
        var (h, first) = await SyncedAsync(scale: 20);
        await using var _ = h;

        // When: a commit lands; nobody asks for a refresh
        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "2"));
        var committedAt = h.Clock.GetUtcNow();
        var second = h.Repo.Commit("settings v2");
        var status = await h.Controller.WaitForAsync("otel-pipeline", s => s.Revision == second && s.SyncStatus == "Synced", Timeout, Ct);
        var took = h.Clock.GetUtcNow() - committedAt;
        var noticed = status.OperationState!.StartedAt - committedAt;

        TestContext.Current.TestOutputHelper?.WriteLine($"commit → sync started by polling: {noticed.TotalSeconds:F1} s, synced: {took.TotalSeconds:F1} s of lab time");

        // Then: the poll that noticed the commit came within upstream's defaultAppResyncPeriod 120 s + rand ×
        // defaultAppResyncPeriodJitter 60 s (v3), lab time, plus the 1 s live check and the refresh's own work. It is
        // judged where the sync began, not where it ended: the refresh's git fetch and render and the sync's apply run
        // in wall time, which the lab clock multiplies (at ×60 a fifth of a second on a loaded machine is 12 s of lab time).
        Assert.NotEqual(first, second);
        Assert.True(noticed < TimeSpan.FromSeconds(120 + 60 + 1 + 5), $"the sync began {noticed.TotalSeconds:F1} s of lab time after the commit");
        Assert.True(took >= noticed, $"synced at {took.TotalSeconds:F1} s, before its sync began at {noticed.TotalSeconds:F1} s");
        Assert.Equal("2", (await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct)).Data["v"]);
        Assert.False(status.OperationState!.SelfHeal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Self_heal_recreates_a_deleted_object_at_once_and_backs_off_on_the_next_attempt()
    {
        var (h, _) = await SyncedAsync(scale: 1);
        await using var _h = h;

        // When: kubectl delete under self-heal
        var deletedAt = h.Clock.GetUtcNow();
        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct);
        var healed = await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState is { SelfHeal: true } o && o.FinishedAt > deletedAt && s.SyncStatus == "Synced", Timeout, Ct);
        var firstHeal = healed.OperationState!;

        TestContext.Current.TestOutputHelper?.WriteLine($"delete → recreated: {(firstHeal.FinishedAt - deletedAt).TotalSeconds:F2} s of lab time");

        // Then: back within the live check interval (upstream selfHealRemainingBackoff: the first attempt waits 0 s)
        Assert.True(firstHeal.FinishedAt - deletedAt < TimeSpan.FromSeconds(3), $"recreated after {(firstHeal.FinishedAt - deletedAt).TotalSeconds:F2} s");
        Assert.Equal(["ConfigMap/settings"], firstHeal.Resources.Select(r => $"{r.Kind}/{r.Name}"));
        Assert.NotNull(await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct));
        // The pitfall named in the timeline: what came back, and how long after Argo CD saw it missing
        var cameBack = Assert.Single(h.Controller.Timeline, e => e.What.StartsWith("came back: ", StringComparison.Ordinal)).What;
        Assert.Matches(@"^came back: ConfigMap observability/settings recreated \d+\.\d s after Argo CD saw it missing \(changed live while auto-sync with selfHeal is on", cameBack);

        // When: a manual edit right after — the second heal of the same revision waits the backoff's 2 s
        var cm = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct);
        cm.Data["v"] = "edited by hand";
        await h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(cm, "settings", "observability", cancellationToken: Ct);
        var second = (await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState is { SelfHeal: true } o && o.FinishedAt > firstHeal.FinishedAt, Timeout, Ct)).OperationState!;

        TestContext.Current.TestOutputHelper?.WriteLine($"second heal started {(second.StartedAt - firstHeal.FinishedAt).TotalSeconds:F2} s after the first finished");
        Assert.True(second.StartedAt - firstHeal.FinishedAt >= TimeSpan.FromSeconds(2), $"second heal {(second.StartedAt - firstHeal.FinishedAt).TotalSeconds:F2} s after the first");
        Assert.Equal("1", (await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct)).Data["v"]);
        Assert.Contains(h.Controller.Timeline, e => e.What.StartsWith("came back: ConfigMap observability/settings reverted to git (", StringComparison.Ordinal));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Without_self_heal_a_deleted_object_stays_missing_and_the_app_out_of_sync()
    {
        var (h, _) = await SyncedAsync(selfHeal: false, scale: 5);
        await using var _h = h;

        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct);
        var outOfSync = await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "OutOfSync", Timeout, Ct);
        var seenAt = h.Clock.GetUtcNow();
        await h.Controller.WaitForAsync("otel-pipeline", s => h.Clock.GetUtcNow() - seenAt > TimeSpan.FromSeconds(10), Timeout, Ct);

        // upstream: docs/user-guide/auto_sync.md — changes made to the live cluster do not trigger automated sync without selfHeal
        Assert.Equal(HealthStatus.Missing, outOfSync.Resources.Single(r => r.Name == "settings").Health);
        Assert.Equal("OutOfSync", h.Controller.StatusOf("otel-pipeline").SyncStatus);
        // upstream (v3.4+ controller/health.go): a missing resource does not lower the app's health; the app was Missing
        // only before its first sync, when nothing was live
        Assert.Equal(HealthStatus.Healthy, outOfSync.Health);
        Assert.StartsWith("sync OutOfSync at ", h.Controller.Timeline.First().What, StringComparison.Ordinal);
        Assert.Contains(", health Missing: ", h.Controller.Timeline.First().What, StringComparison.Ordinal);
        var list = await h.Client.CoreV1.ListNamespacedConfigMapAsync("observability", cancellationToken: Ct);
        Assert.DoesNotContain(list.Items, c => c.Metadata.Name == "settings");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Prune_deletes_what_git_no_longer_has_and_without_prune_it_only_requires_pruning()
    {
        var (h, _) = await SyncedAsync(prune: true);
        await using var _h = h;
        h.Repo.Remove($"{Path}/config.yaml");
        var removed = h.Repo.Commit("drop settings");
        h.Controller.Refresh("otel-pipeline");
        var status = await h.Controller.WaitForAsync("otel-pipeline", s => s.OperationState?.Revision == removed && s.SyncStatus == "Synced", Timeout, Ct);

        Assert.Contains(status.OperationState!.Resources, r => r is { Kind: "ConfigMap", Name: "settings", Status: "Pruned" });
        var list = await h.Client.CoreV1.ListNamespacedConfigMapAsync("observability", cancellationToken: Ct);
        Assert.DoesNotContain(list.Items, c => c.Metadata.Name == "settings");

        var (k, _) = await SyncedAsync(prune: false);
        await using var _k = k;
        k.Repo.Remove($"{Path}/config.yaml");
        var kept = k.Repo.Commit("drop settings");
        k.Controller.Refresh("otel-pipeline");
        var pending = await k.Controller.WaitForAsync("otel-pipeline", s => s.Revision == kept && s.SyncStatus == "OutOfSync", Timeout, Ct);

        // upstream: appcontroller.go autoSync — "need to prune extra resources only but automated prune is disabled"
        Assert.True(pending.Resources.Single(r => r.Name == "settings").RequiresPruning);
        Assert.NotEqual(kept, pending.OperationState!.Revision);
        Assert.NotNull(await k.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task An_unmapped_repo_url_and_an_unknown_revision_are_comparison_errors_naming_the_application_while_others_keep_syncing()
    {
        // Given a synced Application, then two more beside it: one whose repoURL maps to nothing, one on a branch that does not exist
        var (h, good) = await SyncedAsync();
        await using var _h = h;
        h.Controller.Add(ControllerHarness.App() with { Name = "unmapped", RepoUrl = "https://git.internal/kloudvin/elsewhere.git" });
        h.Controller.Add(ControllerHarness.App() with { Name = "no-branch", TargetRevision = "release-9" });

        // When
        var unmapped = await h.Controller.WaitForAsync("unmapped", s => s.Conditions.Any(c => c.Type == "ComparisonError"), Timeout, Ct);
        var noBranch = await h.Controller.WaitForAsync("no-branch", s => s.Conditions.Any(c => c.Type == "ComparisonError"), Timeout, Ct);

        // Then: Argo's "Failed to load target state" with sync status Unknown (controller/state.go), each message naming
        // its Application; the first Application keeps syncing new commits (upstream: util/git/client.go lsRemote)
        var m1 = unmapped.Conditions.Single(c => c.Type == "ComparisonError").Message;
        var m2 = noBranch.Conditions.Single(c => c.Type == "ComparisonError").Message;
        Assert.StartsWith("Failed to load target state: ", m1, StringComparison.Ordinal);
        Assert.Contains("unmapped", m1, StringComparison.Ordinal);
        Assert.Contains("https://git.internal/kloudvin/elsewhere.git", m1, StringComparison.Ordinal);
        Assert.Equal("Unknown", unmapped.SyncStatus);
        Assert.Contains("no-branch", m2, StringComparison.Ordinal);
        Assert.Contains("unable to resolve 'release-9' to a commit SHA", m2, StringComparison.Ordinal);
        Assert.Equal("Unknown", noBranch.SyncStatus);
        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "4"));
        var next = h.Repo.Commit("settings v4");
        h.Controller.Refresh("otel-pipeline");
        var synced = await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.OperationState?.Revision == next, Timeout, Ct);
        Assert.NotEqual(good, synced.Revision);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_broken_manifest_is_a_comparison_error_with_file_line_and_a_fix_commit_recovers()
    {
        var (h, good) = await SyncedAsync();
        await using var _h = h;
        h.Repo.Write($"{Path}/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata: [broken\n");
        var broken = h.Repo.Commit("broken yaml");
        h.Controller.Refresh("otel-pipeline");
        var error = await h.Controller.WaitForAsync("otel-pipeline", s => s.Conditions.Any(c => c.Type == "ComparisonError"), Timeout, Ct);

        var message = error.Conditions.Single(c => c.Type == "ComparisonError").Message;
        Assert.StartsWith("Failed to load target state: application otel-pipeline, revision main (" + broken[..7] + "): " + Path + "/config.yaml:", message, StringComparison.Ordinal);
        Assert.Equal("Unknown", error.SyncStatus);
        Assert.Equal(good, error.OperationState!.Revision);

        h.Repo.Write($"{Path}/config.yaml", ControllerHarness.ConfigMap("settings", "3"));
        var fixedSha = h.Repo.Commit("fix");
        h.Controller.Refresh("otel-pipeline");
        var recovered = await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.Revision == fixedSha, Timeout, Ct);
        Assert.DoesNotContain(recovered.Conditions, c => c.Type == "ComparisonError");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_manifest_the_api_server_refuses_fails_the_sync_with_file_line_and_sync_error_and_a_fix_commit_recovers()
    {
        // Given a synced Application, then a commit adding a ConfigMap for a namespace that does not exist (the API
        // server refuses it; git and the schema have nothing against it)
        var (h, good) = await SyncedAsync(scale: 40);
        await using var _h = h;
        var stray = ControllerHarness.ConfigMap("staging-settings").Replace("  name: staging-settings", "  name: staging-settings\n  namespace: payments-staging", StringComparison.Ordinal);
        h.Repo.Write($"{Path}/staging.yaml", stray);
        var bad = h.Repo.Commit("settings for staging");
        h.Controller.Refresh("otel-pipeline");

        // When
        var failed = await h.Controller.WaitForAsync("otel-pipeline", s => s.Conditions.Any(c => c.Type == "SyncError"), Timeout, Ct);

        // Then: gitops-engine sync_context.go setOperationFailed — "one or more objects failed to apply, reason: " and the
        // task's message (the API server's Status message, after the manifest's file:line); retried 5 times, then
        // appcontroller.go autoSync's SyncError "Failed last sync attempt to <sha>"; what is already live stays
        var operation = failed.OperationState!;
        var refused = $"{Path}/staging.yaml:1: namespaces \"payments-staging\" not found";
        Assert.Equal(("Failed", bad), (operation.Phase, operation.Revision));
        Assert.StartsWith("one or more objects failed to apply, reason: " + refused, operation.Message, StringComparison.Ordinal);
        Assert.Equal(("SyncFailed", refused), operation.Resources.Where(r => r.Name == "staging-settings").Select(r => (r.Status, r.Message)).Single());
        Assert.StartsWith($"Failed last sync attempt to {bad}: one or more objects failed to apply", failed.Conditions.Single(c => c.Type == "SyncError").Message, StringComparison.Ordinal);
        Assert.Equal("OutOfSync", failed.SyncStatus);
        Assert.Contains(h.Controller.Timeline, e => e.What.Contains("Retrying attempt #5 at", StringComparison.Ordinal));
        lock (h.Log)
        {
            Assert.Contains(h.Log, l => l.StartsWith("application otel-pipeline: sync to " + bad[..7] + ": Failed", StringComparison.Ordinal) && l.Contains(refused, StringComparison.Ordinal));
        }

        Assert.NotNull(await h.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct));

        // When: a commit puts the ConfigMap in the destination namespace
        h.Repo.Write($"{Path}/staging.yaml", ControllerHarness.ConfigMap("staging-settings"));
        var fixedSha = h.Repo.Commit("staging settings in the pipeline's namespace");
        h.Controller.Refresh("otel-pipeline");
        var recovered = await h.Controller.WaitForAsync("otel-pipeline", s => s.SyncStatus == "Synced" && s.OperationState is { Phase: "Succeeded" } o && o.Revision == fixedSha, Timeout, Ct);

        // Then: synced, and the new commit's refresh replaced the SyncError (none)
        Assert.NotEqual(good, fixedSha);
        Assert.DoesNotContain(recovered.Conditions, c => c.Type == "SyncError");
        Assert.NotNull(await h.Client.CoreV1.ReadNamespacedConfigMapAsync("staging-settings", "observability", cancellationToken: Ct));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Deleting_with_the_resources_finalizer_cascades_and_without_it_leaves_objects()
    {
        var (h, _) = await SyncedAsync();
        await using var _h = h;
        h.Controller.DisableAutoSync("otel-pipeline");
        var deleted = await h.Controller.DeleteAsync("otel-pipeline", Ct);

        Assert.Contains("ConfigMap observability/settings", deleted);
        Assert.Contains("OpenTelemetryCollector observability/otel-gateway", deleted);
        var left = await h.Client.CoreV1.ListNamespacedConfigMapAsync("observability", cancellationToken: Ct);
        Assert.DoesNotContain(left.Items, c => c.Metadata.Annotations?.ContainsKey(ArgoApplicationController.TrackingAnnotation) == true);
        // upstream: the namespace CreateNamespace made is untracked and never deleted
        Assert.NotNull(await h.Client.CoreV1.ReadNamespaceAsync("observability", cancellationToken: Ct));

        var (k, _) = await SyncedAsync();
        await using var _k = k;
        k.Controller.Update("otel-pipeline", a => a with { Finalizers = [] });
        Assert.Empty(await k.Controller.DeleteAsync("otel-pipeline", Ct));
        Assert.NotNull(await k.Client.CoreV1.ReadNamespacedConfigMapAsync("settings", "observability", cancellationToken: Ct));
        // The wrong teardown order reported: what the non-cascade delete left behind, unmanaged
        var leftBehind = Assert.Single(k.Controller.Timeline, e => e.What.StartsWith("deleted without the resources finalizer", StringComparison.Ordinal)).What;
        Assert.StartsWith("deleted without the resources finalizer (non-cascade): 5 object(s) left behind, no longer managed: ", leftBehind, StringComparison.Ordinal);
        foreach (var o in new[] { "ConfigMap observability/settings", "ConfigMap observability/early", "ServiceAccount observability/otel-collector", "Service observability/otel-gateway-api", "OpenTelemetryCollector observability/otel-gateway" })
        {
            Assert.Contains(o, leftBehind, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Self_heal_backoff_is_argos_2s_times_3_capped_at_300s()
    {
        var controller = new ArgoApplicationController(new Kubernetes(new KubernetesClientConfiguration { Host = "http://127.0.0.1:1" }), new GitSource(new GitRepositoryMap(), System.IO.Path.GetTempPath()));

        // upstream: argocd_application_controller.go --self-heal-backoff-timeout-seconds 2, -factor 3, -cap-seconds 300
        Assert.Equal([0, 2, 6, 18, 54, 162, 300, 300], Enumerable.Range(0, 8).Select(n => controller.SelfHealDelay(n).TotalSeconds));
    }
}
