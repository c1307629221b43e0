using System.Diagnostics;
using System.Threading.Channels;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>
/// A long-running kubectl (<c>logs -f</c>, <c>port-forward</c>): its stdout lines as they come, so a test waits on
/// the line it needs; disposing kills it.
/// </summary>
public sealed class KubectlSession : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly System.Text.StringBuilder _stderr = new();

    private KubectlSession(Process process)
    {
        _process = process;
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static KubectlSession Start(string kubeconfig, string scratch, string binary, params string[] args)
    {
        if (!File.Exists(binary))
        {
            Assert.Skip($"{binary} is not installed: these tests drive the real kubectl against the simulated API server.");
        }

        var start = new ProcessStartInfo(binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.ArgumentList.Insert(0, $"--cache-dir={Path.Combine(scratch, "cache", Path.GetFileName(binary))}");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = scratch;
        var process = new Process { StartInfo = start };
        var session = new KubectlSession(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                session._lines.Writer.TryComplete();
            }
            else
            {
                session._lines.Writer.TryWrite(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (session._stderr)
            {
                session._stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return session;
    }

    /// <summary>Reads stdout until a line matches; fails with what was seen when the output ends or time runs out.</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        var seen = new List<string>();
        try
        {
            await foreach (var line in _lines.Reader.ReadAllAsync(cts.Token))
            {
                seen.Add(line);
                if (match(line))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.Fail($"kubectl printed no matching line within {timeout}; stdout:\n{string.Join('\n', seen)}\nstderr:\n{Stderr}");
        return string.Empty;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
