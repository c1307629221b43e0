using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// One container as a child process: its output lines go to the container log, its exit code is the container's,
/// readiness follows an HTTP GET of the health path on the pod address, and stop/dispose kill the whole process tree.
/// </summary>
internal sealed class ChildProcessContainer : IContainerProcess
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<ChildProcessContainer> _gone;
    private int _disposed;
    private Task _probe = Task.CompletedTask;

    private ChildProcessContainer(Process process, Action<ChildProcessContainer> gone)
    {
        _process = process;
        _gone = gone;
        Exited = WaitAsync();
    }

    public int ProcessId { get; private set; }

    public Task<int> Exited { get; }

    public static ChildProcessContainer Start(ProcessStartInfo info, ContainerContext context, string? health, int port, Action<ChildProcessContainer> gone)
    {
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Write(context.Log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(context.Log, e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"cannot start {info.FileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var container = new ChildProcessContainer(process, gone) { ProcessId = process.Id };
        if (health is null)
        {
            context.Readiness.Set(true);
        }
        else
        {
            var url = new Uri($"http://{context.PodAddress}:{port.ToString(CultureInfo.InvariantCulture)}{health}");
            container._probe = container.ProbeAsync(url, context);
        }

        return container;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Kill();
        await Exited.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Both the kubelet (container exit) and the runtime's own disposal (lab shutdown) may dispose: once only.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Kill();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Exited.ConfigureAwait(false);
            await _probe.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        _process.Dispose();
        _stop.Dispose();
    }

    private static void Write(ContainerLog log, string? line)
    {
        if (line is not null)
        {
            log.Write(line);
        }
    }

    // SIGKILL to the process and every descendant (Process.Kill walks /proc children): no orphan outlives its pod.
    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // already exited
        }
    }

    private async Task<int> WaitAsync()
    {
        await _process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        _gone(this);
        return _process.ExitCode;
    }

    // A readiness probe: every 200 ms until the first success, then every second (periodSeconds scaled down).
    private async Task ProbeAsync(Uri url, ContainerContext context)
    {
        var stop = _stop.Token;
        while (!stop.IsCancellationRequested && !Exited.IsCompleted)
        {
            bool ok;
            try
            {
                using var response = await Probe.GetAsync(url, stop).ConfigureAwait(false);
                ok = response.StatusCode == HttpStatusCode.OK;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                ok = false;
            }

            if (!Exited.IsCompleted)
            {
                context.Readiness.Set(ok);
            }

            try
            {
                await Task.WhenAny(Task.Delay(ok ? 1000 : 200, stop), Exited).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
