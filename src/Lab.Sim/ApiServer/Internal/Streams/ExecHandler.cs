using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// <c>…/pods/{name}/exec</c>: runs the command in the container and streams stdout/stderr (and stdin when asked)
/// over either transport kubectl uses — a WebSocket with <c>v5.channel.k8s.io</c> (kubectl 1.30+) or
/// <c>v4.channel.k8s.io</c> (KubernetesClient), or a SPDY/3.1 upgrade with <c>v4.channel.k8s.io</c> (kubectl
/// 1.27–1.29, and the fallback of later ones) — and ends with the exit status on the status/error channel.
/// </summary>
internal static class ExecHandler
{
    private static readonly string[] WebSocketProtocols = ["v5.channel.k8s.io", "v4.channel.k8s.io"];

    /// <summary>
    /// How long after a WebSocket upgrade the command starts. On a cluster the API server's stream translator opens a
    /// SPDY exec to the kubelet, which starts the process through the CRI, so the first output follows the upgrade by
    /// tens of milliseconds; kubectl 1.30–1.33 depends on that: client-go's tools/remotecommand/websocket.go starts its
    /// read loop before it creates its streams and drops a frame for a stream not yet created ("Unknown stream id 1,
    /// discarding message": the output lost, exit 0 or "closed all streams"; fixed upstream by kubernetes/kubernetes
    /// pull 131203, after 1.33). The lab's tools answer within a millisecond, which a busy machine's kubectl loses.
    /// Wall time: the race is the client process's, not the lab's.
    /// </summary>
    internal static readonly TimeSpan ExecStartLatency = TimeSpan.FromMilliseconds(50);

    public static async Task ServeAsync(HttpContext context, SimulatedCluster cluster, NodeAgents? nodes, string ns, string name, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var command = query["command"].Where(c => c is not null).Select(c => c!).ToList();
        if (command.Count == 0)
        {
            // upstream: pkg/apis/core/validation ValidatePodExecOptions — "you must specify at least 1 command".
            throw new ClusterApiException(400, "BadRequest", "you must specify at least 1 command");
        }

        var target = PodTarget.Resolve(cluster, ns, name, query["container"]);
        var container = target.Find(nodes);
        var stdin = Flag(query["stdin"]);
        var stdout = Flag(query["stdout"]);
        var tty = Flag(query["tty"]);
        var stderr = Flag(query["stderr"]) && !tty;

        if (context.WebSockets.IsWebSocketRequest)
        {
            var offered = context.WebSockets.WebSocketRequestedProtocols;
            var protocol = offered.FirstOrDefault(WebSocketProtocols.Contains);
            if (protocol is null)
            {
                throw new ClusterApiException(400, "BadRequest", $"requested protocol(s) are not supported: [{string.Join(' ', offered)}]; supports [{string.Join(' ', WebSocketProtocols)}]");
            }

            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol }).ConfigureAwait(false);
            await RunOverWebSocketAsync(socket, protocol == "v5.channel.k8s.io", container, command, stdin, stdout, stderr, stopping).ConfigureAwait(false);
            return;
        }

        if (SpdyUpgrade.Requested(context))
        {
            var upgraded = await SpdyUpgrade.AcceptAsync(context, ["v4.channel.k8s.io"], stopping).ConfigureAwait(false);
            if (upgraded is null)
            {
                return;
            }

            await using (upgraded.ConfigureAwait(false))
            {
                await RunOverSpdyAsync(upgraded, container, command, stdin, stdout, stderr, tty, stopping).ConfigureAwait(false);
            }

            return;
        }

        // upstream: apiserver pkg/util/proxy/upgradeaware.go — exec is a streaming upgrade or nothing.
        throw new ClusterApiException(400, "BadRequest", "Upgrade request required");
    }

    private static async Task RunOverWebSocketAsync(WebSocket socket, bool v5, RunningContainer container, List<string> command, bool stdin, bool stdout, bool stderr, CancellationToken stopping)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var channels = new WebSocketChannels(socket, v5);
        var receiving = channels.ReceiveAsync(done.Token);
        try
        {
            // upstream: apiserver pkg/util/proxy/websocket.go createWebSocketStreams — once upgraded, an empty message
            // on the lowest writable channel tells the client the connection is established.
            await channels.SendAsync(stdout ? WebSocketChannels.Stdout : stderr ? WebSocketChannels.Stderr : WebSocketChannels.Status, ReadOnlyMemory<byte>.Empty, done.Token).ConfigureAwait(false);
        }
        catch (WebSocketException)
        {
            // the client left before the command started
            await done.CancelAsync().ConfigureAwait(false);
            return;
        }

        await Task.Delay(ExecStartLatency, done.Token).ConfigureAwait(false);
        var request = new ExecRequest(command, stdin ? channels.StdinStream : null,
            stdout ? channels.Writer(WebSocketChannels.Stdout, done.Token) : Stream.Null,
            stderr ? channels.Writer(WebSocketChannels.Stderr, done.Token) : Stream.Null);
        var status = await RunAsync(container, request, done.Token).ConfigureAwait(false);

        try
        {
            await channels.SendAsync(WebSocketChannels.Status, status, done.Token).ConfigureAwait(false);
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, string.Empty, done.Token).ConfigureAwait(false);
            using var linger = CancellationTokenSource.CreateLinkedTokenSource(done.Token);
            linger.CancelAfter(TimeSpan.FromSeconds(5));
            await receiving.WaitAsync(linger.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or TimeoutException)
        {
            // the client left first
        }

        await done.CancelAsync().ConfigureAwait(false);
    }

    // upstream: kubelet pkg/kubelet/cri/streaming/remotecommand/httpstream.go — the server waits for the streams the
    // request asked for (error always; stdin/stdout/stderr by flag; resize with a tty), then runs the command.
    private static async Task RunOverSpdyAsync(SpdyConnection connection, RunningContainer container, List<string> command, bool stdin, bool stdout, bool stderr, bool tty, CancellationToken stopping)
    {
        var expected = 1 + (stdin ? 1 : 0) + (stdout ? 1 : 0) + (stderr ? 1 : 0) + (tty ? 1 : 0);
        var streams = new Dictionary<string, SpdyStream>(StringComparer.Ordinal);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping, connection.Closed);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            while (streams.Count < expected && await connection.Opened.WaitToReadAsync(wait.Token).ConfigureAwait(false))
            {
                while (connection.Opened.TryRead(out var s))
                {
                    streams[s.Header("streamType") ?? string.Empty] = s;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }

        if (!streams.TryGetValue("error", out var error))
        {
            return;
        }

        using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var request = new ExecRequest(command, streams.GetValueOrDefault("stdin")?.Incoming,
            streams.GetValueOrDefault("stdout")?.Outgoing(done.Token) ?? Stream.Null,
            streams.GetValueOrDefault("stderr")?.Outgoing(done.Token) ?? Stream.Null);
        var status = await RunAsync(container, request, done.Token).ConfigureAwait(false);
        foreach (var (type, s) in streams)
        {
            if (type != "error")
            {
                await s.CloseAsync(done.Token).ConfigureAwait(false);
            }
        }

        await error.WriteAsync(status, done.Token).ConfigureAwait(false);
        await error.CloseAsync(done.Token).ConfigureAwait(false);

        // The client closes the connection once it has read everything.
        using var linger = CancellationTokenSource.CreateLinkedTokenSource(done.Token);
        linger.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var either = CancellationTokenSource.CreateLinkedTokenSource(linger.Token, connection.Closed);
            await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task<byte[]> RunAsync(RunningContainer container, ExecRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var code = await container.ExecAsync(request, cancellationToken).ConfigureAwait(false);
            return ExecStatus.Exited(code, request.Command);
        }
        catch (ContainerExecException e)
        {
            return ExecStatus.CannotStart(e.Message, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).ToLowerInvariant());
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
        {
            // A tool or the runtime failed in the lab itself: reported on the status channel, never a dropped stream.
            return ExecStatus.Failed($"error executing command in container: {e.Message}");
        }
    }

    private static bool Flag(string? value) => value is "true" or "1" or "True";
}
