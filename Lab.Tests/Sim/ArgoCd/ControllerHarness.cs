using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using OtelLab.Model.Crds;
using OtelLab.Model.Time;
using OtelLab.Sim.ApiServer;
using OtelLab.Sim.ArgoCd;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Operator;

namespace OtelLab.Tests.Sim.ArgoCd;

/// <summary>A simulated cluster served on loopback, a KubernetesClient for it, a temp git repository and the controller, on one scaled lab clock.</summary>
internal sealed class ControllerHarness : IAsyncDisposable
{
    public const string Url = "https://git.internal/kloudvin/observability.git";

    private ControllerHarness(TempGitRepository repo, LabClock clock, SimulatedCluster cluster, KubernetesApiServer server, Kubernetes client)
    {
        Repo = repo;
        Clock = clock;
        Cluster = cluster;
        Server = server;
        Client = client;
    }

    public TempGitRepository Repo { get; }

    public LabClock Clock { get; }

    public SimulatedCluster Cluster { get; }

    public KubernetesApiServer Server { get; }

    public Kubernetes Client { get; }

    public ArgoApplicationController Controller { get; private set; } = null!;

    public List<string> Log { get; } = [];

    public static async Task<ControllerHarness> StartAsync(double scale = 20)
    {
        var repo = new TempGitRepository();
        var clock = new LabClock(scale);
        var cluster = SimFixtures.NewCluster(nodes: 1, time: clock);
        OpenTelemetryOperator.Install(cluster);
        var server = await KubernetesApiServer.StartAsync(cluster);
        var kubeconfig = server.WriteKubeconfig(Path.Combine(repo.Root, "kubeconfig"));
        var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        return new ControllerHarness(repo, clock, cluster, server, client);
    }

    public ArgoApplicationController Start(ISyncGate? gate = null, ArgoCdOptions? options = null)
    {
        var source = new GitSource(new GitRepositoryMap().Map(Url, Repo.RepoPath), Repo.WorkDirectory);
        Controller = new ArgoApplicationController(Client, source, options, gate, Clock, line =>
        {
            lock (Log)
            {
                Log.Add(line);
            }
        });
        return Controller;
    }

    /// <summary>
    /// Plays the kubelets the harness lacks: without them a collector's pods never get ready and the operator reports
    /// 0/N; here every OpenTelemetryCollector created gets <c>status.scale.statusReplicas: 1/1</c> through the API's
    /// /status right after, so Argo's health.lua reads it Healthy.
    /// </summary>
    public ControllerHarness ReportCollectorsReady()
    {
        Cluster.Changed += batch =>
        {
            foreach (var e in batch.Where(e => e.Type == OtelLab.Sim.Cluster.WatchEventType.Added && e.Kind.Kind == "OpenTelemetryCollector"))
            {
                var (ns, name) = (e.Namespace!, e.Name);
                _ = Task.Run(() => SetCollectorReplicasAsync(ns, name, "1/1"));
            }
        };
        return this;
    }

    /// <summary>Writes a collector's <c>status.scale.statusReplicas</c> as the operator does.</summary>
    public Task SetCollectorReplicasAsync(string ns, string name, string replicas) =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(new JsonObject { ["status"] = new JsonObject { ["scale"] = new JsonObject { ["statusReplicas"] = replicas } } }.ToJsonString(), V1Patch.PatchType.MergePatch),
            "opentelemetry.io", "v1beta1", ns, "opentelemetrycollectors", name);

    public static ArgoApplication App(bool prune = true, bool selfHeal = true, string path = "clusters/eks-prod/otel") => new()
    {
        Name = "otel-pipeline",
        Namespace = "argocd",
        Project = "platform",
        RepoUrl = Url,
        TargetRevision = "main",
        Path = path,
        DestinationNamespace = "observability",
        Automated = true,
        AutomatedPrune = prune,
        SelfHeal = selfHeal,
        SyncOptions = ["CreateNamespace=true"],
        Finalizers = [ArgoApplicationController.ResourcesFinalizer],
    };

    public static string ConfigMap(string name, string value = "1", int? wave = null) => $"""
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {name}
        {(wave is null ? string.Empty : $"  annotations:\n    argocd.argoproj.io/sync-wave: \"{wave}\"\n")}data:
          v: "{value}"
        """;

    public async ValueTask DisposeAsync()
    {
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        Repo.Dispose();
    }
}
