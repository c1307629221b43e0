using OtelLab.Backends;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;

namespace OtelLab.Scenarios.Cluster;

/// <summary>
/// The stores of mock backends that run in the cluster (k3s's in-cluster backends), as the backend checks read them:
/// a port-forward through the cluster interface to each backend's port on the backends pod's loopback, and a
/// <see cref="CaptureMirror"/> of its spans into a local Dynatrace and Datadog of the same kind (never started: they
/// only hold what the mirror copies), kept current until disposed.
/// </summary>
public sealed class InClusterBackendStores : IAsyncDisposable
{
    private readonly IReadOnlyList<PortForward> _forwards;
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _mirroring;

    private InClusterBackendStores(IReadOnlyList<IMockBackend> backends, IReadOnlyList<PortForward> forwards, HttpClient http, IReadOnlyList<CaptureMirror> mirrors, TimeSpan interval, TimeProvider time)
    {
        Backends = backends;
        _forwards = forwards;
        _http = http;
        Mirrors = mirrors;
        _mirroring = Task.WhenAll(mirrors.Select(m => m.RunAsync(interval, time, _stop.Token)));
    }

    /// <summary>A local Dynatrace and Datadog holding the in-cluster ones' spans, for <c>CheckContext.Backends</c>.</summary>
    public IReadOnlyList<IMockBackend> Backends { get; }

    public IReadOnlyList<CaptureMirror> Mirrors { get; }

    /// <summary>
    /// Forwards to the first Running pod matching <paramref name="labelSelector"/> in <paramref name="ns"/>, its
    /// Dynatrace and Datadog ports, and starts mirroring every <paramref name="interval"/>.
    /// </summary>
    public static async Task<InClusterBackendStores> OpenAsync(ICluster cluster, string ns, string labelSelector, int dynatracePort, int datadogPort, TimeSpan interval, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var pods = await cluster.PodsAsync(ns, labelSelector, cancellationToken).ConfigureAwait(false);
        var pod = pods.FirstOrDefault(p => p.Status?.Phase == "Running")
            ?? throw new InvalidOperationException($"no Running pod of {ns}/{labelSelector} to read the in-cluster backends from ({pods.Count} pod(s): {string.Join(", ", pods.Select(p => $"{p.Metadata.Name} {p.Status?.Phase}"))})");
        var forwards = new List<PortForward>();
        try
        {
            forwards.Add(await cluster.PortForwardAsync(ns, pod.Metadata.Name, dynatracePort, cancellationToken).ConfigureAwait(false));
            forwards.Add(await cluster.PortForwardAsync(ns, pod.Metadata.Name, datadogPort, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            foreach (var f in forwards)
            {
                await f.DisposeAsync().ConfigureAwait(false);
            }

            throw;
        }

        // The local stand-ins are never started and take no request: the in-cluster backends judged the credentials.
        // Their own (required) credentials are random and never used.
        IReadOnlyList<IMockBackend> backends =
        [
            new DynatraceBackendBuilder().WithToken($"dt0c01.{Base32(24)}.{Base32(64)}").WithTimeProvider(time).Build(),
            new DatadogBackendBuilder().WithApiKey(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16))).Build(),
        ];
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var mirrors = backends.Zip(forwards, (b, f) => new CaptureMirror(http, new Uri($"http://{f.LocalEndpoint}/"), b.Captures)).ToList();
        return new InClusterBackendStores(backends, forwards, http, mirrors, interval, time);
    }

    private static string Base32(int length) =>
        System.Security.Cryptography.RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", length);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _mirroring.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopped
        }

        foreach (var forward in _forwards)
        {
            await forward.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var backend in Backends)
        {
            await backend.DisposeAsync().ConfigureAwait(false);
        }

        _http.Dispose();
        _stop.Dispose();
    }
}
