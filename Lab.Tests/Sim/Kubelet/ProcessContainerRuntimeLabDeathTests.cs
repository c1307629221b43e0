using System.Diagnostics;
using k8s.Models;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.Scenarios;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Sim.Kubelet;

/// <summary>
/// A killed lab (SIGKILL: no Dispose, no graceful stop) must not leave the sample services running on their pod
/// addresses: the images' lab-only launchers watch <c>LAB_PID</c>. Here the watched process is a stand-in the test
/// SIGKILLs (the test host plays the rest of the lab and stays alive to observe).
/// </summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class ProcessContainerRuntimeLabDeathTests
{
    private static readonly string[] Services = ["checkout", "payments", "ledger"];

    // The launchers check once a second; 4 s leaves the JVM/Python/Node 3 s of scheduling slack on a loaded 2-core
    // machine (measured by hand: 0.3–1.3 s). Longer would let an orphan collide with a lab started right after.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(4);

    private static string Pod(string service) => $$"""
        apiVersion: v1
        kind: Pod
        metadata: {name: {{service}}, namespace: default, uid: {{service}}-uid}
        spec:
          nodeName: lab-node-1
          containers:
          - {name: main, image: "otel-lab/{{service}}:1.0.0"}
        """;

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Checkout_payments_and_ledger_exit_143_within_4_s_once_the_watched_lab_process_is_SIGKILLed()
    {
        ScenarioRun.SkipUnlessRunnable();
        var services = Path.Combine(RepoPaths.Root, "SampleServices");
        if (!File.Exists(Path.Combine(services, "out", "runtime", "java", "classes", "lab", "runtime", "LabWatch.class")))
        {
            Assert.Skip("SampleServices/out/runtime/java LabWatch.class is missing: the build (SampleServices.targets) could not compile it (javac missing?).");
        }

        var ct = TestContext.Current.CancellationToken;

        // Given the three sample services run by the kubelet from images.json, watching a stand-in lab process
        using var lab = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var cluster = SimFixtures.NewCluster(nodes: 1);
        await using var runtime = new ProcessContainerRuntime(ProcessImageCatalog.Load(services)) { LabProcessId = lab.Id };
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Runtimes = [runtime], Environment = new KubeletEnvironment(cluster) });
        foreach (var service in Services)
        {
            await SimFixtures.ApplyYamlAsync(cluster, Pod(service));
        }

        bool Ready(string service) => cluster.Get<V1Pod>("default", service)?.Status?.ContainerStatuses?.SingleOrDefault()?.Ready == true;
        Assert.True(await cluster.WaitUntilAsync(_ => Services.All(Ready), TimeSpan.FromSeconds(60), ct), Describe(agents));
        var apps = runtime.ProcessIds.Select(p => ProcessSignals.Tree(p)[0]).ToList();
        Assert.Equal(3, apps.Count);

        // When the lab process is SIGKILLed
        lab.Kill();
        var killed = Stopwatch.StartNew();

        // Then every service process is gone within the bound, by itself (the runtime, still alive here, did not stop it)
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(apps.All(a => !ProcessSignals.IsAlive(a))), ExitBound, ct),
            $"still alive {killed.Elapsed.TotalSeconds:F1} s after the lab's death: {string.Join(",", apps.Where(ProcessSignals.IsAlive).Select(a => a.Pid))}\n{Describe(agents)}");

        // and each ended with 143 (as on SIGTERM), without a stack trace in its log
        int? ExitCode(string service) =>
            cluster.Get<V1Pod>("default", service)?.Status?.ContainerStatuses?.SingleOrDefault() is { } s
                ? s.LastState?.Terminated?.ExitCode ?? s.State?.Terminated?.ExitCode
                : null;
        Assert.True(await cluster.WaitUntilAsync(_ => Services.All(s => ExitCode(s) == 143), TimeSpan.FromSeconds(30), ct),
            string.Join(", ", Services.Select(s => $"{s}={ExitCode(s)}")));
        foreach (var service in Services)
        {
            var log = agents.LogOf("default", service, "main")?.Lines() ?? [];
            Assert.DoesNotContain(log, l => l.Contains("Traceback", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal) || l.TrimStart().StartsWith("at ", StringComparison.Ordinal));
        }
    }

    private static string Describe(NodeAgents agents) =>
        string.Join("\n", Services.Select(s => $"{s}: {string.Join("\n  ", agents.LogOf("default", s, "main")?.Lines() ?? [])}"));
}
