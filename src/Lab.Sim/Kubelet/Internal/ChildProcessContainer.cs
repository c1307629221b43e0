using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// One container as a child process: its output lines go to the container log, its exit code is the container's,
/// readiness follows an HTTP GET of the health path on the pod address. Stop is Kubernetes' graceful termination:
/// SIGTERM to the main process, up to the grace period for it to exit, then SIGKILL to whatever of the tree remains
/// (the container runtime kills the whole container once its main process ends). Dispose kills the tree at once.
/// </summary>
internal sealed class ChildProcessContainer : IContainerProcess, IContainerExec
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(1) };
    private readonly Process _process;
    private readonly CancellationTokenSource _stop = new();
    private readonly Action<ChildProcessContainer> _gone;
    private int _disposed;
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private Task _probe = Task.CompletedTask;

    private ChildProcessContainer(Process process, Action<ChildProcessContainer> gone, TimeSpan grace, TimeProvider time)
    {
        _process = process;
        _gone = gone;
        _grace = grace;
        _time = time;
        Exited = WaitAsync();
    }

    public int ProcessId { get; private set; }

    /// <summary>The pod the process runs for.</summary>
    public string Pod { get; private init; } = "";

    /// <summary>How the main process was started: exec runs in the same environment and working directory.</summary>
    private ProcessStartInfo StartInfo { get; init; } = new();

    public Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken) =>
        ProcessExec.RunAsync(StartInfo, request, cancellationToken);

    public Task<int> Exited { get; }

    /// <param name="grace">How long a stop waits after SIGTERM before SIGKILL (the pod's terminationGracePeriodSeconds, time-scaled).</param>
    public static ChildProcessContainer Start(ProcessStartInfo info, ContainerContext context, string? health, int port, TimeSpan grace, Action<ChildProcessContainer> gone)
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
        var container = new ChildProcessContainer(process, gone, grace, context.Time) { ProcessId = process.Id, StartInfo = info, Pod = context.Pod.Metadata?.Name ?? "" };
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
        // upstream (kubelet kuberuntime_container.go killContainer → CRI StopContainer(timeout = grace period)):
        // SIGTERM to the container's init process, SIGKILL after the timeout; when the init process ends, the
        // runtime kills every process left in the container. The tree is read before SIGTERM: once the main process
        // exits, its children are re-parented and /proc no longer links them to it.
        var tree = ProcessSignals.Tree(ProcessId);
        if (tree.Count > 0)
        {
            ProcessSignals.Send(tree[0], ProcessSignals.SigTerm);
        }

        using (var graceOver = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            var wait = Task.Delay(_grace, _time, graceOver.Token);
            await Task.WhenAny(Exited, wait).ConfigureAwait(false);
            await graceOver.CancelAsync().ConfigureAwait(false);
        }

        // A cancelled stop (the grace period or the lab's stop bound is over) still ends in SIGKILL: cancelling means
        // "no more waiting", never "leave the processes running".
        foreach (var process in tree.Concat(ProcessSignals.Tree(ProcessId)).Distinct().Where(ProcessSignals.IsAlive))
        {
            ProcessSignals.Send(process, ProcessSignals.SigKill);
        }

        try
        {
            await Exited.WaitAsync(KillWait, CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // SIGKILL cannot be refused; a process the kernel has not reaped yet is gone for every purpose here
        }
    }

    /// <summary>How long a stop waits for the main process to be reaped after SIGKILL.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

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
