namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// A resource URL taken apart: <c>/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> or the same under
/// <c>/apis/{group}/{version}</c> (apiserver pkg/endpoints/request/requestinfo.go RequestInfoFactory.NewRequestInfo).
/// </summary>
internal sealed record ApiRoute(string Group, string Version, string? Namespace, string Resource, string? Name, string? Subresource)
{
    public static ApiRoute? Parse(string path)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group;
        string version;
        int rest;
        if (segments is ["api", var v, ..])
        {
            (group, version, rest) = (string.Empty, v, 2);
        }
        else if (segments is ["apis", var g, var v2, ..])
        {
            (group, version, rest) = (g, v2, 3);
        }
        else
        {
            return null;
        }

        var parts = segments[rest..];
        if (parts.Length == 0)
        {
            return null;
        }

        // /namespaces/{ns}/{resource}… is namespaced; /namespaces and /namespaces/{name}[/status] address Namespace objects.
        string? ns = null;
        if (parts.Length >= 3 && parts[0] == "namespaces")
        {
            ns = parts[1];
            parts = parts[2..];
        }

        return parts.Length switch
        {
            1 => new ApiRoute(group, version, ns, parts[0], null, null),
            2 => new ApiRoute(group, version, ns, parts[0], parts[1], null),
            3 => new ApiRoute(group, version, ns, parts[0], parts[1], parts[2]),
            _ => null,
        };
    }
}
