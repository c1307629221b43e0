using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// What <c>kubectl exec</c> can run in an in-process container (collectors, Target Allocator): four busybox-style
/// tools, enough for the guide's commands, each answering as busybox does:
/// <list type="bullet">
/// <item><c>wget [-q] [-O FILE|-O-] [-T SEC] URL</c>: HTTP GET from inside the pod — <c>localhost</c> is the pod's own
/// address — body to stdout with <c>-O-</c>; exit 1 with busybox's message on a refused connection or an HTTP
/// error;</item>
/// <item><c>cat FILE…</c>: the container's files — its ConfigMap/Secret mounts (e.g. the collector's rendered
/// <c>/conf/collector.yaml</c>) and the pod's folder;</item>
/// <item><c>env</c>: the container's environment plus <c>HOSTNAME</c> (the pod name), as the runtime sets it;</item>
/// <item><c>ls [DIR…]</c>: the names in those directories.</item>
/// </list>
/// Fidelity note: the real collector images are built without a shell or tools (opentelemetry-collector-releases'
/// distribution Dockerfiles start FROM scratch: "the Collector container doesn't have a shell inside it"), so these tools exist for the
/// guide's commands only; anything else gets runc's "executable file not found in $PATH".
/// </summary>
internal static class ImageToolbox
{
    public static readonly IReadOnlyList<string> Tools = ["wget", "cat", "env", "ls"];

    public static async Task<int> RunAsync(ContainerContext context, ExecRequest request, CancellationToken cancellationToken)
    {
        var program = request.Command.Count > 0 ? request.Command[0] : throw ContainerExecException.NotFound(string.Empty);
        var args = request.Command.Skip(1).ToList();
        return Path.GetFileName(program) switch
        {
            "wget" when program is "wget" or "/bin/wget" or "/usr/bin/wget" => await WgetAsync(context, args, request, cancellationToken).ConfigureAwait(false),
            "cat" when program is "cat" or "/bin/cat" => await CatAsync(context, args, request, cancellationToken).ConfigureAwait(false),
            "env" when program is "env" or "/usr/bin/env" => await EnvAsync(context, request, cancellationToken).ConfigureAwait(false),
            "ls" when program is "ls" or "/bin/ls" => await LsAsync(context, args, request, cancellationToken).ConfigureAwait(false),
            _ => throw ContainerExecException.NotFound(program),
        };
    }

    private static async Task<int> WgetAsync(ContainerContext context, List<string> args, ExecRequest request, CancellationToken cancellationToken)
    {
        string? output = null;
        var quiet = false;
        var timeout = TimeSpan.FromSeconds(900);
        string? url = null;
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith('-') && a.Length > 1 && !a.StartsWith("--", StringComparison.Ordinal))
            {
                // Combined short options as busybox getopt32 reads them: -qO- is -q -O -, -qO FILE is -q -O FILE.
                for (var j = 1; j < a.Length; j++)
                {
                    switch (a[j])
                    {
                        case 'q':
                            quiet = true;
                            break;
                        case 'O':
                            output = j + 1 < a.Length ? a[(j + 1)..] : (++i < args.Count ? args[i] : null);
                            j = a.Length;
                            break;
                        case 'T':
                            var value = j + 1 < a.Length ? a[(j + 1)..] : (++i < args.Count ? args[i] : "900");
                            timeout = TimeSpan.FromSeconds(int.Parse(value, CultureInfo.InvariantCulture));
                            j = a.Length;
                            break;
                        default:
                            await WriteAsync(request.Stderr, $"wget: unrecognized option: {a[j]}\n", cancellationToken).ConfigureAwait(false);
                            return 1;
                    }
                }
            }
            else
            {
                url = a;
            }
        }

        if (url is null)
        {
            await WriteAsync(request.Stderr, "BusyBox v1.36.1 multi-call binary.\n\nUsage: wget [-cqS] [-O FILE] [-T SEC] URL...\n", cancellationToken).ConfigureAwait(false);
            return 1;
        }

        var uri = new Uri(url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url);
        var host = uri.Host;
        IPAddress? address = host is "localhost" || (IPAddress.TryParse(host, out var literal) && IPAddress.IsLoopback(literal) && literal.Equals(IPAddress.Loopback))
            ? context.PodAddress
            : IPAddress.TryParse(host, out var ip) ? ip : context.Resolver.Resolve(host, context.ResolverContext).FirstOrDefault();
        if (address is null || !IPAddress.IsLoopback(address))
        {
            await WriteAsync(request.Stderr, $"wget: bad address '{host}'\n", cancellationToken).ConfigureAwait(false);
            return 1;
        }

        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    // The pod's own traffic leaves from the pod's address.
                    SourceAddress.Bind(socket, context.PodAddress);
                    await socket.ConnectAsync(new IPEndPoint(address, uri.Port), token).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        using var client = new HttpClient(handler) { Timeout = timeout };
        if (!quiet)
        {
            await WriteAsync(request.Stderr, $"Connecting to {uri.Authority} ({address}:{uri.Port})\n", cancellationToken).ConfigureAwait(false);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            // busybox networking/wget.c: connect() failing is bb_perror_msg_and_die "can't connect to remote host".
            await WriteAsync(request.Stderr, $"wget: can't connect to remote host ({address}): Connection refused\n", cancellationToken).ConfigureAwait(false);
            return 1;
        }

        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                // busybox networking/wget.c: a non-2xx status is "server returned error: <status line>".
                await WriteAsync(request.Stderr, $"wget: server returned error: HTTP/1.1 {(int)response.StatusCode} {response.ReasonPhrase}\n", cancellationToken).ConfigureAwait(false);
                return 1;
            }

            var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (output is "-")
            {
                await body.CopyToAsync(request.Stdout, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Without -O- busybox saves to a file named after the URL: the lab's in-process containers have no
                // writable filesystem, so the body is read and dropped, as a read-only image would fail later anyway.
                await body.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                if (!quiet)
                {
                    await WriteAsync(request.Stderr, $"saving to '{output ?? Path.GetFileName(uri.AbsolutePath)}'\n", cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return 0;
    }

    private static async Task<int> CatAsync(ContainerContext context, List<string> args, ExecRequest request, CancellationToken cancellationToken)
    {
        var files = new PodFiles(context);
        var exit = 0;
        foreach (var path in args)
        {
            if (files.Read(path) is { } bytes)
            {
                await request.Stdout.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // busybox coreutils/cat.c via bb_perror_msg: "cat: can't open 'X': No such file or directory".
                await WriteAsync(request.Stderr, $"cat: can't open '{path}': No such file or directory\n", cancellationToken).ConfigureAwait(false);
                exit = 1;
            }
        }

        return exit;
    }

    private static async Task<int> EnvAsync(ContainerContext context, ExecRequest request, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        text.Append("HOSTNAME=").Append(context.Pod.Metadata.Name).Append('\n');
        foreach (var (name, value) in context.Environment)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        await WriteAsync(request.Stdout, text.ToString(), cancellationToken).ConfigureAwait(false);
        return 0;
    }

    private static async Task<int> LsAsync(ContainerContext context, List<string> args, ExecRequest request, CancellationToken cancellationToken)
    {
        var files = new PodFiles(context);
        var exit = 0;
        var paths = args.Where(a => !a.StartsWith('-')).DefaultIfEmpty("/").ToList();
        foreach (var path in paths)
        {
            if (files.List(path) is { } names)
            {
                if (paths.Count > 1)
                {
                    await WriteAsync(request.Stdout, $"{path}:\n", cancellationToken).ConfigureAwait(false);
                }

                await WriteAsync(request.Stdout, string.Concat(names.Select(n => n + "\n")), cancellationToken).ConfigureAwait(false);
            }
            else if (files.Read(path) is not null)
            {
                await WriteAsync(request.Stdout, path + "\n", cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await WriteAsync(request.Stderr, $"ls: {path}: No such file or directory\n", cancellationToken).ConfigureAwait(false);
                exit = 1;
            }
        }

        return exit;
    }

    private static async Task WriteAsync(Stream stream, string text, CancellationToken cancellationToken) =>
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
}
