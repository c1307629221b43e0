using OtelLab.AppHost.Hosting;
using OtelLab.K3s;
using OtelLab.K3s.InCluster;
using OtelLab.Model.Install;
using OtelLab.Model.Secrets;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.OnCluster;
using OtelLab.Scenarios.Cluster;
using OtelLab.Scenarios.Reporting;
using OtelLab.Scenarios.Definition;

namespace OtelLab.AppHost.Lab;

/// <summary>
/// <c>--cluster k3s</c>: checks what the real substrate needs on this machine (engine, images, charts) and says exactly
/// what is missing and how to provide it (exit 2), else starts k3s with the scenario's install and manifests.
/// </summary>
internal static class K3sSubstrate
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    public static K3sClusterBuilder Builder(IEnumerable<ScenarioDefinition> scenarios, string? images, string? charts)
    {
        var list = scenarios.ToList();
        var releases = list.SelectMany(s => s.Install.Releases).DistinctBy(r => r.Name).ToList();
        return new K3sClusterBuilder()
            .WithInstall(new InstallSpec { Releases = releases })
            .WithImagesDirectory(images)
            .WithChartsDirectory(charts)
            .WithRepository(BundledScenarios.LocateSampleServices() is { } services ? Path.GetDirectoryName(Path.GetFullPath(services)) : null)
            .WithManifests(list.Count == 1 ? ManifestFiles(list[0]) : [])
            .WithInClusterBackends(list.Count == 1 ? InClusterBackendsFor(list[0]) : null);
    }

    /// <summary>
    /// The in-cluster backends a scenario needs: when its manifests name a vendor endpoint the mock backends answer
    /// for (a Dynatrace host, the Datadog site), those hosts; else null (nothing to deploy).
    /// </summary>
    public static InClusterBackends? InClusterBackendsFor(ScenarioDefinition scenario)
    {
        var text = string.Concat(ManifestFiles(scenario).Where(File.Exists).Select(File.ReadAllText));
        var spec = scenario.Backends;
        var sends = spec.DynatraceHosts.Any(h => text.Contains(h, StringComparison.OrdinalIgnoreCase)) || text.Contains(spec.DatadogSite, StringComparison.OrdinalIgnoreCase);
        return sends ? new InClusterBackends { DynatraceHosts = spec.DynatraceHosts, DatadogHosts = spec.DatadogHosts } : null;
    }

    /// <summary>Null when k3s can start here; else the exit code after the problems were written.</summary>
    public static async Task<int?> RefuseAsync(K3sClusterBuilder builder, TextWriter stderr, CancellationToken cancellationToken)
    {
        var problems = await K3sPreflight.CheckAsync(builder.Configuration, new DockerEngineProbe(), cancellationToken).ConfigureAwait(false);
        if (problems.Count == 0)
        {
            return null;
        }

        await stderr.WriteLineAsync($"error: --cluster k3s cannot start on this machine; missing ({problems.Count}):").ConfigureAwait(false);
        foreach (var p in problems)
        {
            await stderr.WriteLineAsync($"  - {p.Missing}").ConfigureAwait(false);
            await stderr.WriteLineAsync($"    fix: {p.Fix}").ConfigureAwait(false);
        }

        var c = builder.Configuration;
        if (c.ImagesDirectory is null || c.ChartsDirectory is null)
        {
            await stderr.WriteLineAsync("  without registry access, also prepare an air-gapped run where a registry is reachable and pass " +
                $"{(c.ImagesDirectory is null ? "--images images " : "")}{(c.ChartsDirectory is null ? "--charts charts" : "")}:").ConfigureAwait(false);
            foreach (var line in K3sPreflight.AirGapPreparation(c.Install, c.RepositoryRoot))
            {
                await stderr.WriteLineAsync($"    {line}").ConfigureAwait(false);
            }
        }

        await stderr.WriteLineAsync("  or use --cluster sim (the default), which needs none of this.").ConfigureAwait(false);
        return LabCli.ExitUsage;
    }

    /// <summary><c>up --cluster k3s</c>: k3s with the install and manifests, until Ctrl+C or the duration.</summary>
    public static async Task<int> UpAsync(ScenarioDefinition scenario, string? images, string? charts, TimeSpan? duration, int dashboardPort, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var builder = Builder([scenario], images, charts);
        if (await RefuseAsync(builder, stderr, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        K3sCluster cluster;
        try
        {
            cluster = builder.Build();
        }
        catch (ArgumentException e)
        {
            await stderr.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        await using (cluster.ConfigureAwait(false))
        {
            await stdout.WriteLineAsync($"Starting k3s ({cluster.Configuration.Image}, {string.Join(' ', cluster.Configuration.ServerFlags)}) with {scenario.Install.Releases.Count} release(s) and the manifests of {scenario.Name}…").ConfigureAwait(false);
            try
            {
                await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
                var kubeconfig = Path.GetFullPath(Path.Combine("artifacts", "k3s", "kubeconfig"));
                Directory.CreateDirectory(Path.GetDirectoryName(kubeconfig)!);
                await OwnerOnlyFile.WriteAllTextAsync(kubeconfig, await cluster.GetKubeconfigAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false); // the cluster's admin credentials
                await stdout.WriteLineAsync($"k3s is up: export KUBECONFIG={kubeconfig}").ConfigureAwait(false);

                // The dashboard shows the container and the cluster's pods while the releases install.
                using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));

                await using var app = K3sAppHost.CreateBuilder(cluster, new KubernetesCluster(client), new LabAppHostOptions { DashboardPort = dashboardPort }).Build();
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                await cluster.WaitForReleasesAsync(InstallTimeout, cancellationToken).ConfigureAwait(false);
                if (cluster.Configuration.Backends is not null)
                {
                    await ApplyBackendSecretsAsync(cluster, scenario, new KubernetesCluster(client), stdout, cancellationToken).ConfigureAwait(false);
                }

                await stdout.WriteLineAsync($"Installed: {string.Join(", ", scenario.Install.Releases.Select(r => r.Display))}").ConfigureAwait(false);
                await Task.Delay(duration ?? Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
                await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await stdout.WriteLineAsync("Stopping k3s…").ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // a pull the registry refused, an install job that failed, an engine that went away: say it, no stack trace
                await stderr.WriteLineAsync($"error: k3s: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
                return LabCli.ExitFindings;
            }
        }

        return 0;
    }

    /// <summary>
    /// <c>test --cluster k3s</c>: the preflight; then, per scenario, k3s with its install and manifests, and the checks
    /// a client of the cluster can judge (<see cref="ClusterScenarioRunner"/>: rollouts, pods Ready and the kubectl
    /// steps through the API; every other check reported not available on k3s, with its reason), written as the same
    /// reports as a sim run.
    /// </summary>
    public static async Task<int> TestAsync(IReadOnlyList<ScenarioDefinition> scenarios, string? images, string? charts, string? output, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (await RefuseAsync(Builder(scenarios, images, charts), stderr, cancellationToken).ConfigureAwait(false) is { } refused)
        {
            return refused;
        }

        var failed = false;
        foreach (var scenario in scenarios)
        {
            var run = await RunOnK3sAsync(scenario, images, charts, stdout, stderr, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                return LabCli.ExitFindings;
            }

            var dir = output is null ? Path.Combine("artifacts", run.Scenario) : scenarios.Count == 1 ? output : Path.Combine(output, run.Scenario);
            var files = await ReportFiles.WriteAsync(run, dir, cancellationToken).ConfigureAwait(false);
            foreach (var c in run.Checks)
            {
                await stdout.WriteLineAsync($"   {c.Outcome.ToString().ToUpperInvariant(),-7} {c.Id,-22} {c.Summary}").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync($"   {run.Verdict.ToUpperInvariant()} (k3s): {run.Findings.Count()} finding(s); reports: {string.Join(", ", files)}").ConfigureAwait(false);
            failed |= !run.Passed;
        }

        return failed ? LabCli.ExitFindings : 0;
    }

    private static async Task<ScenarioRunResult?> RunOnK3sAsync(ScenarioDefinition scenario, string? images, string? charts, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var startedAt = DateTimeOffset.UtcNow;
        await using var cluster = Builder([scenario], images, charts).Build();
        var work = Directory.CreateTempSubdirectory("otel-lab-k3s-");
        try
        {
            await stdout.WriteLineAsync($"{scenario.Name}: starting k3s ({cluster.Configuration.Image}) with {scenario.Install.Releases.Count} release(s) and the manifests…").ConfigureAwait(false);
            await cluster.StartAsync(cancellationToken).ConfigureAwait(false);
            var kubeconfig = Path.Combine(work.FullName, "kubeconfig");
            await OwnerOnlyFile.WriteAllTextAsync(kubeconfig, await cluster.GetKubeconfigAsync().ConfigureAwait(false), cancellationToken).ConfigureAwait(false); // the cluster's admin credentials

            await cluster.WaitForReleasesAsync(InstallTimeout, cancellationToken).ConfigureAwait(false);
            using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var kube = new KubernetesCluster(client);
            await using var stores = await OpenBackendsAsync(cluster, scenario, kube, stdout, cancellationToken).ConfigureAwait(false);
            var context = new CheckContext
            {
                Scenario = scenario,
                Manifests = Model.Manifests.ManifestLoader.Load(scenario.ManifestPaths, recursive: true),
                Cluster = kube,
                Kubeconfig = kubeconfig,
                WorkDirectory = work.FullName,
                DataWithin = scenario.Expectations.DataWithin,
                Backends = stores?.Backends ?? [],
            };
            return await ClusterScenarioRunner.CheckAsync(context, "k3s", applyManifests: false, startedAt, TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // a pull the registry refused, an install job that failed, an engine that went away: say it, no stack trace
            await stderr.WriteLineAsync($"error: k3s: {e.GetType().Name}: {e.Message}").ConfigureAwait(false);
            return null;
        }
        finally
        {
            work.Delete(recursive: true); // the kubeconfig holds the cluster's admin credentials
        }
    }

    /// <summary>
    /// With in-cluster backends: their Secrets through the API (credentials generated for this run, shown masked),
    /// their rollout, then their stores through port-forwards; null without.
    /// </summary>
    private static async Task<InClusterBackendStores?> OpenBackendsAsync(K3sCluster cluster, ScenarioDefinition scenario, KubernetesCluster kube, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (cluster.Configuration.Backends is null)
        {
            return null;
        }

        await ApplyBackendSecretsAsync(cluster, scenario, kube, stdout, cancellationToken).ConfigureAwait(false);
        await kube.WaitForRolloutAsync(InClusterBackends.Namespace, "backends", InstallTimeout, cancellationToken).ConfigureAwait(false);
        return await InClusterBackendStores.OpenAsync(kube, InClusterBackends.Namespace, "app=lab-backends",
            InClusterBackends.DynatraceLoopbackPort, InClusterBackends.DatadogLoopbackPort, TimeSpan.FromSeconds(1), TimeProvider.System, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The in-cluster backends' Secrets with credentials generated for this run, through the API (printed masked),
    /// and the scenario's vault block with the same credentials written into k3s's Vault once the releases are in.
    /// </summary>
    private static async Task ApplyBackendSecretsAsync(K3sCluster cluster, ScenarioDefinition scenario, KubernetesCluster kube, TextWriter stdout, CancellationToken cancellationToken)
    {
        var token = $"dt0c01.{System.Security.Cryptography.RandomNumberGenerator.GetString(Base32, 24)}.{System.Security.Cryptography.RandomNumberGenerator.GetString(Base32, 64)}";
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        foreach (var line in await kube.ApplyAsync(cluster.BackendSecrets(token, key), cancellationToken).ConfigureAwait(false))
        {
            await stdout.WriteLineAsync($"   {line}").ConfigureAwait(false); // object names only, never their data
        }

        await stdout.WriteLineAsync($"   in-cluster backends: Dynatrace token {Backends.Capture.CredentialFingerprint.Of(token).Masked}, Datadog key {Backends.Capture.CredentialFingerprint.Of(key).Masked}").ConfigureAwait(false);
        if (scenario.Vault is { } vault && scenario.Install.Releases.FirstOrDefault(r => r.ChartName == "vault") is { } release)
        {
            var password = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await K3sVault.SeedAsync(kube, release.Namespace, K3sVault.Requests(vault, token, key, password), cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync($"   vault: {vault.Policies.Count} policy(ies), {vault.KubernetesRoles.Count} role(s), {vault.Secrets.Count} secret(s) written to {release.Namespace}'s dev server").ConfigureAwait(false);
        }
    }

    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private static IEnumerable<string> ManifestFiles(ScenarioDefinition scenario) =>
        scenario.ManifestPaths.SelectMany<string, string>(p => Directory.Exists(p)
            ? Directory.EnumerateFiles(p, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            : [p]);
}
