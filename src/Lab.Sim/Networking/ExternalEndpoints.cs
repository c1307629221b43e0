using System.Collections.Concurrent;

namespace OtelLab.Sim.Networking;

/// <summary>
/// The lab's egress: where an emulated component's request to a host outside the cluster (a vendor's SaaS intake such
/// as <c>https://abc12345.live.dynatrace.com</c> or <c>https://api.datadoghq.com</c>) really goes — the mock backend's
/// loopback listener. TLS is terminated here (the mocks speak plain HTTP on loopback); the path, headers and body are
/// sent unchanged, so the backend sees exactly what the vendor would. A host with no mapping is unreachable, as an
/// air-gapped cluster would make it (the component sees a connection error, never a request to the internet).
/// </summary>
public sealed class ExternalEndpoints
{
    private readonly ConcurrentDictionary<string, Uri> _map = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Routes requests for <paramref name="host"/> (any scheme and port) to <paramref name="loopbackBase"/>.</summary>
    public void Map(string host, Uri loopbackBase)
    {
        if (!loopbackBase.IsLoopback)
        {
            throw new ArgumentException($"external endpoint '{host}' must map to a loopback address, not {loopbackBase.Host}", nameof(loopbackBase));
        }

        _map[host] = loopbackBase;
    }

    /// <summary>
    /// The loopback URI a request to <paramref name="external"/> goes to, or null when the host is not mapped. A host
    /// that is itself loopback is returned unchanged (tests pointing a component straight at a mock).
    /// </summary>
    public Uri? Resolve(Uri external)
    {
        if (external.IsLoopback)
        {
            return external;
        }

        if (!_map.TryGetValue(external.Host, out var target))
        {
            return null;
        }

        var builder = new UriBuilder(target) { Path = CombinePath(target.AbsolutePath, external.AbsolutePath), Query = external.Query.TrimStart('?') };
        return builder.Uri;
    }

    private static string CombinePath(string basePath, string path) =>
        basePath.TrimEnd('/') + (path.StartsWith('/') ? path : "/" + path);
}
