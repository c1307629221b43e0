using Microsoft.AspNetCore.Http;
using OtelLab.Sim.ApiServer.Internal.Streams;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The pod subresources the API server proxies to the kubelet: <c>log</c>, <c>exec</c> and <c>portforward</c>
/// (kubernetes pkg/registry/core/pod/rest/subresources.go), answered from the lab's <see cref="NodeAgents"/>.
/// </summary>
internal sealed partial class ResourceHandlers
{
    /// <summary>The kubelets that hold container logs and run exec; null until the lab has started them.</summary>
    public NodeAgents? Nodes { get; set; }

    private static bool IsPodStream(ApiRoute route) =>
        route is { Group: "", Resource: "pods", Name: not null, Subresource: "log" or "exec" or "portforward" };

    private async Task ServePodStreamAsync(HttpContext context, ApiRoute route, string ns, RbacCheck? authorize)
    {
        var subresource = route.Subresource!;
        var method = context.Request.Method;
        var allowed = subresource == "log" ? method == "GET" : method is "GET" or "POST";
        if (!allowed)
        {
            await WriteStatusAsync(context, StatusResponse.Failure(405, "MethodNotAllowed", "the server does not allow this method on the requested resource")).ConfigureAwait(false);
            return;
        }

        // upstream: apiserver pkg/endpoints/request/requestinfo.go — a subresource's RBAC resource is "pods/<sub>",
        // its verb get for GET and create for POST.
        authorize?.Invoke(method == "POST" ? "create" : "get", subresource);
        switch (subresource)
        {
            case "log":
                await PodLogHandler.ServeAsync(context, cluster, Nodes, ns, route.Name!, stopping).ConfigureAwait(false);
                break;
            case "exec":
                await ExecHandler.ServeAsync(context, cluster, Nodes, ns, route.Name!, stopping).ConfigureAwait(false);
                break;
            default:
                await PortForwardHandler.ServeAsync(context, cluster, ns, route.Name!, stopping).ConfigureAwait(false);
                break;
        }
    }

    private delegate void RbacCheck(string verb, string subresource);
}
