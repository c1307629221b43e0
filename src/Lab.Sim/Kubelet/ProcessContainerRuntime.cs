using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OtelLab.Sim.Kubelet.Internal;

namespace OtelLab.Sim.Kubelet;

/// <summary>
/// Runs the images of a <see cref="ProcessImageCatalog"/> (the sample services and the operator's agent images) as
/// child processes of the lab, one per container start:
/// <list type="bullet">
/// <item>env: exactly the container's resolved environment (after the kubelet's <c>$(VAR)</c> expansion) plus PATH,
/// with two stand-ins applied consistently — emptyDir mount paths become the pod's volume folders (see
/// <see cref="PodVolumes"/>) and URLs naming a cluster Service/pod become its address (the pod's resolv.conf);</item>
/// <item>network: the service listens on the pod IP (<c>BIND_ADDRESS</c>/<c>PORT</c>, knobs the services already
/// read) and connects out from it (<c>LAB_SOURCE_ADDRESS</c>: Node preload, Python launcher, the Java stand-in's
/// exporter — the JDK's HttpURLConnection cannot choose its source, so checkout's own calls leave from 127.0.0.1);</item>
/// <item>readiness from the image's health path, stdout/stderr lines into the <see cref="ContainerLog"/>, exit code
/// as the container's; stop is graceful like the kubelet's (SIGTERM, up to the pod's
/// <c>terminationGracePeriodSeconds</c> — default 30 s — divided by the time scale, then SIGKILL to what remains of
/// the process tree: no orphans); a missing program is a start error that names
/// it and how to install it (the kubelet backs off and retries);</item>
/// <item>a killed lab (SIGKILL, OOM killer, <c>timeout</c>, a cancelled CI job) runs none of that: the app images'
/// lab-only launchers watch the lab's pid (<c>LAB_PID</c>) and end the service within about 2 s (see
/// <see cref="EnvironmentFor"/>).</item>
/// </list>
/// </summary>
public sealed class ProcessContainerRuntime : IContainerRuntime, IAsyncDisposable
{
    // The lab's own agent/SDK variables must not leak into a container: it gets exactly what the pod would.
    private static readonly string[] HostVariablesKept = ["PATH", "LANG", "TMPDIR"];
    private readonly ProcessImageCatalog _catalog;
    private readonly string _stateDirectory;
    private readonly ConcurrentDictionary<ChildProcessContainer, byte> _running = new();

    /// <param name="stateDirectory">Where pods' volume folders live (created; deleted on dispose).</param>
    public ProcessContainerRuntime(ProcessImageCatalog catalog, string? stateDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _stateDirectory = stateDirectory ?? Path.Combine(Path.GetTempPath(), "otel-lab-pods-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_stateDirectory);
    }

    /// <summary>The process the containers watch to end with (<c>LAB_PID</c>): the lab's own; tests give one they can kill.</summary>
    internal int LabProcessId { get; init; } = Environment.ProcessId;

    /// <summary>
    /// Lab-only variables a container's process gets on top of its pod's env (a variable the pod sets wins): knobs the
    /// lab turns without editing the user's workloads, so <c>kubectl apply</c> of the same manifests stays unchanged.
    /// </summary>
    public Func<ContainerContext, IEnumerable<KeyValuePair<string, string>>>? EnvironmentOverlay { get; init; }

    /// <summary>The folder holding the pods' volumes.</summary>
    public string StateDirectory => _stateDirectory;

    /// <summary>Process ids of the containers running now (their main processes).</summary>
    public IReadOnlyList<int> ProcessIds => _running.Keys.Select(c => c.ProcessId).ToList();

    /// <summary>The containers running now: each pod's main process.</summary>
    public IReadOnlyList<(string Pod, int ProcessId)> Processes => _running.Keys.Select(c => (c.Pod, c.ProcessId)).ToList();

    /// <summary>The images this runtime runs, with the health path it probes for readiness.</summary>
    public ProcessImageCatalog Catalog => _catalog;

    public bool CanRun(string image) => _catalog.Find(image) is not null;

    /// <summary>How long (wall time) a container whose env names a Service that does not exist yet waits for it.</summary>
    internal static readonly TimeSpan ServiceWait = TimeSpan.FromSeconds(10);

    public async Task<IContainerProcess> StartAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        await WaitForServicesAsync(context, cancellationToken).ConfigureAwait(false);
        var image = _catalog.Find(context.Container.Image) ?? throw new InvalidOperationException($"no process image registered for {context.Container.Image}");
        var volumes = PodVolumes.For(_stateDirectory, context.Pod, context.Container);
        var command = CommandFor(context, image, volumes, _stateDirectory);
        var executable = ResolveProgram(command[0])
            ?? throw new InvalidOperationException($"{command[0]} is not on PATH: image {context.Container.Image} needs {(image.Tool.Length > 0 ? image.Tool : command[0])}");

        var info = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            WorkingDirectory = volumes.PodDirectory,
        };
        foreach (var argument in command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var name in HostVariablesKept)
        {
            if (Environment.GetEnvironmentVariable(name) is { } value)
            {
                info.Environment[name] = value;
            }
        }

        info.Environment["HOME"] = volumes.PodDirectory;
        foreach (var (name, value) in EnvironmentFor(context, image, volumes, LabProcessId, EnvironmentOverlay))
        {
            info.Environment[name] = value;
        }

        var container = ChildProcessContainer.Start(info, context, IsInit(context) ? null : image.Health, PortOf(context, image), GracePeriod(context), c => _running.TryRemove(c, out _));
        _running[container] = 0;
        return container;
    }

    // A real container resolves a name when it connects, through the cluster DNS its resolv.conf names (Kubernetes docs,
    // "DNS for Services and Pods": a Service gets an A record my-svc.my-namespace.svc.<cluster domain> for its ClusterIP,
    // served while the Service exists), so a Service created after the container started is found on its next lookup. A child process here resolves with the host's resolver,
    // so the env's Service URLs are rewritten to their ClusterIPs once, at start (ClusterUrls): a container started before
    // the Service its env names exists — manifests applied in file order, a Deployment before the Service it calls —
    // would hold an unresolvable name for its whole life. So the start waits for such Services, up to ServiceWait (the
    // rest of an apply is wall-time work), and says so in the container's log; a name that never resolves is then left
    // as is and the program fails as it would.
    private static async Task WaitForServicesAsync(ContainerContext context, CancellationToken cancellationToken)
    {
        List<string> Pending() => [.. context.Environment.SelectMany(e => ClusterUrls.PendingServices(e.Value, context)).Distinct(StringComparer.Ordinal)];
        var pending = Pending();
        if (pending.Count == 0)
        {
            return;
        }

        context.Log.Write($"waiting up to {ServiceWait.TotalSeconds:0} s for Service {string.Join(", ", pending)} named in the env to exist (the lab resolves Service URLs once, at start)");
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (pending.Count > 0 && waited.Elapsed < ServiceWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            pending = Pending();
        }
    }

    /// <summary>Kills every container still running and deletes the pods' volume folders.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var container in _running.Keys.ToList())
        {
            await container.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(_stateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open; the temp folder is left behind
        }
    }

    /// <summary>The pod's terminationGracePeriodSeconds (Kubernetes default 30), in lab time.</summary>
    internal static TimeSpan GracePeriod(ContainerContext context) =>
        TimeSpan.FromSeconds(context.Pod.Spec.TerminationGracePeriodSeconds ?? 30);

    private static bool IsInit(ContainerContext context) =>
        context.Pod.Spec.InitContainers?.Any(c => c.Name == context.Container.Name) == true;

    private static int PortOf(ContainerContext context, ProcessImage image) =>
        context.Container.Ports?.FirstOrDefault(p => p.Protocol is null or "TCP")?.ContainerPort ?? image.Port ?? 8080;

    // The container's command wins over the image's (Kubernetes semantics); paths in it are mapped to the pod's
    // volume folders and the image's files.
    private static List<string> CommandFor(ContainerContext context, ProcessImage image, PodVolumes volumes, string stateDirectory)
    {
        var command = context.Container.Command is { Count: > 0 } c ? c.ToList() : image.Command.ToList();
        if (command.Count == 0)
        {
            throw new InvalidOperationException($"image {context.Container.Image} has no command in the catalog and the container gives none");
        }

        command.AddRange(context.Container.Args ?? []);
        var mapped = command.Select(a => volumes.MapImagePath(a, image.Filesystem)).ToList();
        // Probed once per image folder against the folder holding every pod's volumes (one filesystem), not per pod.
        return IsInit(context) ? LinkedCopy.Apply(mapped, image.Filesystem, stateDirectory) : mapped;
    }

    private static IEnumerable<KeyValuePair<string, string>> EnvironmentFor(ContainerContext context, ProcessImage image, PodVolumes volumes, int labProcessId, Func<ContainerContext, IEnumerable<KeyValuePair<string, string>>>? overlay)
    {
        var env = new List<KeyValuePair<string, string>>();
        foreach (var (name, value) in context.Environment)
        {
            env.Add(new(name, ClusterUrls.Resolve(volumes.MapPath(value), context)));
        }

        // Lab knobs for what the pod's network namespace gives a real container: 0.0.0.0 there is the pod IP here.
        var pod = context.PodAddress.ToString();
        if (env.All(e => e.Key != "BIND_ADDRESS"))
        {
            env.Add(new("BIND_ADDRESS", pod));
        }

        if (env.All(e => e.Key != "PORT"))
        {
            env.Add(new("PORT", PortOf(context, image).ToString(CultureInfo.InvariantCulture)));
        }

        env.Add(new("LAB_SOURCE_ADDRESS", pod));
        foreach (var (name, value) in overlay?.Invoke(context) ?? [])
        {
            if (env.All(e => e.Key != name))
            {
                env.Add(new(name, value));
            }
        }

        ScaledSdkDelays.Apply(env, context.TimeScale);

        // A container dies with its pod's sandbox; a child process outlives a killed lab (SIGKILL, OOM killer,
        // `timeout`, a cancelled CI job: no Dispose, no StopAsync) and keeps its pod address bound, so the next lab
        // collides with it. The app images' lab-only launchers (SampleServices/runtime: LabWatch for Java,
        // source_address.py, source-address.js; no app change) check this pid every second and exit 143 when it is
        // gone or, being their parent, has been replaced (a dead, unreaped lab keeps its pid; its children are
        // re-parented at once). Not PR_SET_PDEATHSIG (setpriv --pdeathsig): it fires when the *thread* that forked
        // exits, and .NET forks from thread-pool threads that retire, which would kill healthy services.
        // Init containers (the operator's `cp`) end on their own in moments: not watched.
        env.Add(new("LAB_PID", labProcessId.ToString(CultureInfo.InvariantCulture)));
        return env;
    }

    internal static string? ResolveProgram(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program) ? program : null;
        }

        return (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
    }
}
