using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;

namespace OtelLab.Sim.ApiServer.Internal.Streams;

/// <summary>
/// <c>GET …/pods/{name}/log</c>: the container's log as chunked <c>text/plain</c> with <c>container</c>,
/// <c>follow</c>, <c>previous</c>, <c>sinceSeconds</c>, <c>sinceTime</c>, <c>timestamps</c>, <c>tailLines</c> and
/// <c>limitBytes</c> (kubernetes pkg/registry/core/pod/rest/log.go; the kubelet's pkg/kubelet/kuberuntime/logs).
/// A followed log ends when the container's instance ends or the client goes away.
/// </summary>
internal static class PodLogHandler
{
    // upstream: kubelet kuberuntime/logs/logs.go timeFormatOut — RFC 3339 with nine fixed fraction digits.
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z'";

    public static async Task ServeAsync(HttpContext context, SimulatedCluster cluster, NodeAgents? nodes, string ns, string name, CancellationToken stopping)
    {
        var query = context.Request.Query;
        var target = PodTarget.Resolve(cluster, ns, name, query["container"]);
        var container = target.Find(nodes);
        var previous = Flag(query["previous"]);
        var follow = Flag(query["follow"]) && !previous;
        var timestamps = Flag(query["timestamps"]);
        var tail = Number(query["tailLines"], "tailLines");
        var limit = Number(query["limitBytes"], "limitBytes");
        DateTimeOffset? since = null;
        if (Number(query["sinceSeconds"], "sinceSeconds") is { } seconds)
        {
            since = cluster.Time.GetUtcNow() - TimeSpan.FromSeconds(seconds);
        }
        else if (query["sinceTime"].ToString() is { Length: > 0 } sinceTime)
        {
            since = DateTimeOffset.TryParse(sinceTime, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t
                : throw new ClusterApiException(400, "BadRequest", $"parsing time \"{sinceTime}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse");
        }

        var log = container.Log;
        var signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void OnLine(string _) => signal.Writer.TryWrite(true);
        log.LineWritten += OnLine;
        try
        {
            var slice = log.Read(0, previous)
                ?? throw new ClusterApiException(400, "BadRequest", $"previous terminated container \"{target.Container}\" in pod \"{name}\" not found");
            var lines = slice.Lines.Where(l => since is null || l.At >= since).ToList();
            if (tail is { } t)
            {
                lines = lines.Skip(Math.Max(0, lines.Count - (int)Math.Min(t, int.MaxValue))).ToList();
            }

            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
            var budget = new Budget(limit);
            await WriteAsync(context, lines, timestamps, budget, done.Token).ConfigureAwait(false);
            if (!follow || budget.Spent)
            {
                return;
            }

            await context.Response.Body.FlushAsync(done.Token).ConfigureAwait(false);
            var next = slice.Next;
            var exited = container.Process?.Exited ?? Task.FromResult(0);
            try
            {
                while (!budget.Spent)
                {
                    var more = signal.Reader.WaitToReadAsync(done.Token).AsTask();
                    var ended = await Task.WhenAny(more, exited).ConfigureAwait(false) == exited;
                    signal.Reader.TryRead(out _);
                    var read = log.Read(next);
                    if (read is not null)
                    {
                        next = read.Next;
                        await WriteAsync(context, read.Lines, timestamps, budget, done.Token).ConfigureAwait(false);
                        await context.Response.Body.FlushAsync(done.Token).ConfigureAwait(false);
                    }

                    if (ended)
                    {
                        break;
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // the client stopped following, or the server stops
            }
        }
        finally
        {
            log.LineWritten -= OnLine;
        }
    }

    private static async Task WriteAsync(HttpContext context, IEnumerable<(DateTimeOffset At, string Line)> lines, bool timestamps, Budget budget, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var (at, line) in lines)
        {
            if (timestamps)
            {
                text.Append(at.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture)).Append(' ');
            }

            text.Append(line).Append('\n');
        }

        var bytes = budget.Take(Encoding.UTF8.GetBytes(text.ToString()));
        if (bytes.Length > 0)
        {
            await context.Response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool Flag(string? value) => value is "true" or "1" or "True";

    // upstream: pkg/apis/core/validation ValidatePodLogOptions — negative values are invalid.
    private static long? Number(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        return long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new ClusterApiException(422, "Invalid", $"PodLogOptions \"\" is invalid: {name}: Invalid value: {value}: must be greater than or equal to 0");
    }

    private sealed class Budget(long? limit)
    {
        private long _left = limit ?? long.MaxValue;

        public bool Spent => _left <= 0;

        public byte[] Take(byte[] bytes)
        {
            var n = (int)Math.Min(bytes.Length, _left);
            _left -= n;
            return n == bytes.Length ? bytes : bytes[..n];
        }
    }
}
