using System.Buffers;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelLab.Load.TargetFarm.Internal;
using OtelLab.Sim.Networking;

namespace OtelLab.Load.TargetFarm;

/// <summary>
/// Thousands of Prometheus scrape targets in one process, each listening on its own loopback address, serving
/// avalanche-like text exposition with optional series churn. Built for 9,000+ targets on a small machine: one raw
/// socket per target (no web server per target), one pending accept per listener, and one pre-rendered response
/// shared by every target, so a scrape is a single send. By default responses close the connection, so a scraper
/// in the same process holds no idle descriptors between scrapes.
/// </summary>
public sealed class TargetFarm : IAsyncDisposable
{
    // A failed accept backs off as the exporters the farm stands for do: Go's net/http Server.Serve (src/net/http/server.go)
    // sleeps tempDelay on a temporary accept error, 5 ms doubling up to 1 s, and resets it on the next accepted connection.
    private static readonly TimeSpan AcceptBackOffFirst = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan AcceptBackOffMax = TimeSpan.FromSeconds(1);

    private readonly TargetFarmOptions _options;
    private readonly Socket[] _listeners;
    private readonly Task[] _acceptLoops;
    private readonly CancellationTokenSource _stop = new();
    private readonly ITimer? _churnTimer;
    private readonly byte[] _notFound = ExpositionRenderer.Status(404, "Not Found");
    private readonly byte[] _notAllowed = ExpositionRenderer.Status(405, "Method Not Allowed");
    private readonly byte[] _metricsPath;
    // The scrape response twice over, as one pair so a churn swaps both at once: with Connection: close and without.
    private volatile Responses _responses;
    private long _cycle;
    private long _requests;
    private long _bytes;
    private long _connections;
    private long _errors;

    private TargetFarm(TargetFarmOptions options, Socket[] listeners, TimeSpan startup)
    {
        _options = options;
        _listeners = listeners;
        StartupTime = startup;
        Endpoints = [.. listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];
        _metricsPath = Encoding.ASCII.GetBytes(options.MetricsPath);
        _responses = Render(options.Shape, 0);
        _acceptLoops = [.. listeners.Select(AcceptLoopAsync)];
        if (options.SeriesChurnInterval is { } churn)
        {
            _churnTimer = options.TimeProvider.CreateTimer(_ => Churn(), null, churn, churn);
        }
    }

    /// <summary>Each target's address and port, in target order.</summary>
    public IReadOnlyList<IPEndPoint> Endpoints { get; }

    /// <summary>How long binding all listeners took.</summary>
    public TimeSpan StartupTime { get; }

    /// <summary>Bytes of one scrape response (headers + body).</summary>
    public int ResponseBytes => (_options.KeepAlive ? _responses.KeepAlive : _responses.Close).Length;

    /// <summary>The current churn cycle (the <c>cycle_id</c> label value).</summary>
    public long Cycle => Interlocked.Read(ref _cycle);

    public long RequestsServed => Interlocked.Read(ref _requests);

    public long BytesServed => Interlocked.Read(ref _bytes);

    public long ConnectionsAccepted => Interlocked.Read(ref _connections);

    /// <summary>Raised once, on the thread that served it, when the farm answers its first scrape (a farm pod's first scrape round).</summary>
    public event Action<TargetFarm>? FirstScrapeServed;

    /// <summary>Connections that failed (reset, malformed request); never thrown.</summary>
    public long Errors => Interlocked.Read(ref _errors);

    /// <summary>
    /// Binds every target and starts serving. Throws <see cref="InvalidOperationException"/> with the descriptor budget
    /// when the open-file limit cannot hold the listeners, and <see cref="ArgumentException"/> for a non-loopback address.
    /// </summary>
    public static TargetFarm Start(TargetFarmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Shape.Validate();
        if (options.Count < 1)
        {
            throw new ArgumentException($"a target farm needs at least one target (got {options.Count})", nameof(options));
        }

        var limit = options.OpenFileLimit ?? DescriptorBudget.SoftLimit();
        var needed = (long)options.Count + options.DescriptorHeadroom;
        if (limit is { } max && needed > max)
        {
            throw new InvalidOperationException(
                $"descriptor budget: {options.Count} targets need {options.Count} listening sockets + {options.DescriptorHeadroom} headroom = {needed} "
                + $"open files, but the open-file limit (ulimit -n) is {max}. Raise it (ulimit -n {needed}) or run at most {Math.Max(0, max - options.DescriptorHeadroom)} targets. "
                + "Scrapers in the same process need one more descriptor per open connection.");
        }

        var addresses = Addresses(options.FirstAddress, options.Count);
        var listeners = new Socket[options.Count];
        var started = Stopwatch.GetTimestamp();
        try
        {
            for (var i = 0; i < addresses.Length; i++)
            {
                var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                listeners[i] = listener;
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(new IPEndPoint(addresses[i], options.Port));
                listener.Listen(64);
            }
        }
        catch
        {
            foreach (var listener in listeners)
            {
                listener?.Dispose();
            }

            throw;
        }

        return new TargetFarm(options, listeners, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>The target addresses a farm of <paramref name="count"/> targets uses, skipping .0 and .255.</summary>
    public static IPAddress[] Addresses(IPAddress first, int count)
    {
        ArgumentNullException.ThrowIfNull(first);
        var bytes = first.GetAddressBytes();
        if (bytes.Length != 4 || bytes[0] != 127)
        {
            throw new ArgumentException($"target farm addresses must be in 127.0.0.0/8 (got {first})", nameof(first));
        }

        var value = ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
        var result = new IPAddress[count];
        for (var i = 0; i < count; value++)
        {
            if ((value & 0xFF) is 0 or 255)
            {
                continue;
            }

            if (value >> 24 != 127)
            {
                throw new ArgumentException($"{count} targets starting at {first} run past 127.255.255.254", nameof(count));
            }

            result[i++] = new IPAddress([(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value]);
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        if (_churnTimer is not null)
        {
            await _churnTimer.DisposeAsync().ConfigureAwait(false);
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops).ConfigureAwait(false);
        _stop.Dispose();
    }

    private void Churn()
    {
        var cycle = Interlocked.Increment(ref _cycle);
        _responses = Render(_options.Shape, cycle);
    }

    private async Task AcceptLoopAsync(Socket listener)
    {
        var token = _stop.Token;
        var backOff = TimeSpan.Zero;
        while (!token.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // A failed accept (the process out of descriptors, above all) fails again at once: retrying without a
                // pause spins a core for as long as it lasts.
                Interlocked.Increment(ref _errors);
                backOff = backOff == TimeSpan.Zero ? AcceptBackOffFirst : TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, AcceptBackOffMax.Ticks));
                try
                {
                    await Task.Delay(backOff, _options.TimeProvider, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                continue;
            }

            backOff = TimeSpan.Zero;
            Interlocked.Increment(ref _connections);
            _ = ServeAsync(client, token);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken token)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        var budgeted = !_options.KeepAlive && _options.KeepAliveBudget?.TryTake() == true;
        var keepAlive = _options.KeepAlive || budgeted;
        try
        {
            client.NoDelay = true;
            var read = 0;
            while (true)
            {
                int headEnd;
                while ((headEnd = buffer.AsSpan(0, read).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    if (read == buffer.Length)
                    {
                        Interlocked.Increment(ref _errors);
                        return;
                    }

                    var received = await client.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, token).ConfigureAwait(false);
                    if (received == 0)
                    {
                        return;
                    }

                    read += received;
                }

                var (response, close, scrape) = Answer(buffer.AsSpan(0, headEnd), keepAlive);
                await client.SendAsync(response, SocketFlags.None, token).ConfigureAwait(false);
                if (scrape && Interlocked.Increment(ref _requests) == 1)
                {
                    FirstScrapeServed?.Invoke(this);
                }

                Interlocked.Add(ref _bytes, response.Length);
                if (close)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }

                // Keep pipelined bytes that arrived after this request's head (GET requests carry no body).
                var consumed = headEnd + 4;
                buffer.AsSpan(consumed, read - consumed).CopyTo(buffer);
                read -= consumed;
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            if (!token.IsCancellationRequested)
            {
                Interlocked.Increment(ref _errors);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            client.Dispose();
            if (budgeted)
            {
                _options.KeepAliveBudget!.Release();
            }
        }
    }

    private static Responses Render(TargetShape shape, long cycle) =>
        new(ExpositionRenderer.Render(shape, cycle, keepAlive: false), ExpositionRenderer.Render(shape, cycle, keepAlive: true));

    // Reads the request head as bytes: a scrape is answered without allocating (9,000 targets at thousands of scrapes/s).
    private (byte[] Response, bool Close, bool Scrape) Answer(ReadOnlySpan<byte> head, bool keepAlive)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var methodEnd = line.IndexOf((byte)' ');
        var rest = methodEnd < 0 ? [] : line[(methodEnd + 1)..];
        var targetEnd = rest.IndexOf((byte)' ');
        if (methodEnd < 0 || targetEnd < 0 || !line[..methodEnd].SequenceEqual("GET"u8))
        {
            return (_notAllowed, true, false);
        }

        var version = rest[(targetEnd + 1)..];
        var versionEnd = version.IndexOf((byte)' ');
        version = versionEnd < 0 ? version : version[..versionEnd];
        var wantsClose = !keepAlive || version.SequenceEqual("HTTP/1.0"u8) || AsksToClose(head);
        var target = rest[..targetEnd];
        var query = target.IndexOf((byte)'?');
        if (!(query < 0 ? target : target[..query]).SequenceEqual(_metricsPath))
        {
            return (_notFound, true, false);
        }

        var responses = _responses;
        return (wantsClose ? responses.Close : responses.KeepAlive, wantsClose, true);
    }

    private static bool AsksToClose(ReadOnlySpan<byte> head)
    {
        var header = "\r\nconnection: close"u8;
        for (var at = head.IndexOf("\r\n"u8); at >= 0 && head.Length - at >= header.Length; at = NextLine(head, at))
        {
            if (System.Text.Ascii.EqualsIgnoreCase(head.Slice(at, header.Length), header))
            {
                return true;
            }
        }

        return false;
    }

    private static int NextLine(ReadOnlySpan<byte> head, int at)
    {
        var next = head[(at + 2)..].IndexOf("\r\n"u8);
        return next < 0 ? -1 : at + 2 + next;
    }

    private sealed record Responses(byte[] Close, byte[] KeepAlive);
}
