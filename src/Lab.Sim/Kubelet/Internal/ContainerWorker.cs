using System.Globalization;
using k8s.Models;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// Runs one container of a pod: start through the runtime, wait for exit, restart per <c>restartPolicy</c> with
/// <see cref="RestartBackOff"/>, and keep the state the pod status reports.
/// </summary>
internal sealed class ContainerWorker
{
    /// <summary>The longest a container's graceful stop may take in wall time, whatever its grace period in lab time.</summary>
    internal static readonly TimeSpan StopBound = TimeSpan.FromSeconds(5);

    private readonly PodWorker _pod;
    private readonly V1Container _container;
    private readonly bool _init;
    private readonly Lock _gate = new();
    private readonly RestartBackOff _backOff;
    private V1ContainerState _state;
    private V1ContainerState? _lastState;
    private int _restarts;
    private bool _started;
    private bool _pullFailed;
    private IContainerProcess? _process;
    private ContainerContext? _context;

    public ContainerWorker(PodWorker pod, V1Container container, bool init)
    {
        _pod = pod;
        _container = container;
        _init = init;
        _backOff = new RestartBackOff();
        Log = new ContainerLog(pod.Time, pod.Options.LogCapacity);
        Readiness = new ContainerReadiness(pod.PublishStatusSoon);
        _state = new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = init ? "PodInitializing" : "ContainerCreating" } };
    }

    public string Name => _container.Name;

    public ContainerLog Log { get; }

    /// <summary>The container as exec and logs see it: the process and context of the running instance, if any.</summary>
    public RunningContainer Snapshot()
    {
        lock (_gate)
        {
            return new RunningContainer(Name, Log, _state.Running is not null ? _process : null, _state.Running is not null ? _context : null);
        }
    }

    public ContainerReadiness Readiness { get; }

    /// <summary>Whether the container's main process is running now.</summary>
    public bool Running
    {
        get
        {
            lock (_gate)
            {
                return _state.Running is not null;
            }
        }
    }

    /// <summary>Runs until the container completes for good (init: exit 0) or the pod stops.</summary>
    public async Task<int> RunAsync(CancellationToken stop)
    {
        var policy = _init ? "OnFailure" : _pod.Pod.Spec.RestartPolicy ?? "Always";
        while (true)
        {
            var exitCode = await RunOnceAsync(stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                return exitCode;
            }

            // An image that could not be pulled is retried whatever the policy (the container never ran).
            var pullFailed = _pullFailed;
            var restart = pullFailed || policy == "Always" || (policy == "OnFailure" && exitCode != 0);
            if (!restart)
            {
                return exitCode;
            }

            var finishedAt = _state.Terminated?.FinishedAt is { } f ? new DateTimeOffset(f, TimeSpan.Zero) : _pod.Time.GetUtcNow();
            var now = _pod.Time.GetUtcNow();
            var at = _backOff.RestartAt(finishedAt, now);
            if (at > now)
            {
                // The timer exists before the status says CrashLoopBackOff, so whoever reacts to the status (a test
                // moving a manual clock) cannot move time past the restart before it is scheduled.
                var delay = Task.Delay(at - _pod.Time.GetUtcNow() is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, _pod.Time, stop);
                if (pullFailed)
                {
                    // upstream kubelet: ImagePullBackOff, "Back-off pulling image" (images/image_manager.go)
                    SetState(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ImagePullBackOff", Message = $"Back-off pulling image \"{_container.Image}\"" } }, moveToLast: false);
                    _pod.Event("Normal", "BackOff", $"Back-off pulling image \"{_container.Image}\"");
                }
                else
                {
                    var message = $"back-off {EventSeconds(at - finishedAt)} restarting failed container={Name} pod={_pod.Pod.Metadata.Name}_{_pod.Pod.Metadata.NamespaceProperty}({_pod.Pod.Metadata.Uid})";
                    SetState(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "CrashLoopBackOff", Message = message } }, moveToLast: true);
                    _pod.Event("Warning", "BackOff", $"Back-off restarting failed container {Name} in pod {_pod.Pod.Metadata.Name}_{_pod.Pod.Metadata.NamespaceProperty}({_pod.Pod.Metadata.Uid})");
                }

                try
                {
                    await delay.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return exitCode;
                }
            }

            if (!pullFailed)
            {
                lock (_gate)
                {
                    _restarts++;
                }
            }
        }
    }

    public V1ContainerStatus Status()
    {
        lock (_gate)
        {
            return new V1ContainerStatus
            {
                Name = Name,
                Image = _container.Image,
                ImageID = _container.Image,
                ContainerID = $"lab://{_pod.Pod.Metadata.Uid}/{Name}/{_restarts.ToString(CultureInfo.InvariantCulture)}",
                Ready = _state.Running is not null && (_init || _container.ReadinessProbe is null || Readiness.IsReady),
                Started = _state.Running is not null,
                RestartCount = _restarts,
                State = _state,
                LastState = _lastState ?? new V1ContainerState(),
            };
        }
    }

    private async Task<int> RunOnceAsync(CancellationToken stop)
    {
        var runtime = _pod.RuntimeFor(_container.Image);
        if (runtime is null)
        {
            SetState(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImagePull", Message = $"lab: no container runtime serves image \"{_container.Image}\"" } }, moveToLast: false);
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, _pod.Time, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            return 1;
        }

        var startedAt = _pod.Time.GetUtcNow();
        IContainerProcess process;
        _pullFailed = false;
        Log.BeginInstance();
        try
        {
            var context = _pod.ContextFor(_container, this, _restarts);
            process = await runtime.StartAsync(context, stop).ConfigureAwait(false);
            lock (_gate)
            {
                (_process, _context) = (process, context);
            }
        }
        catch (ImagePullException e)
        {
            _pullFailed = true;
            Log.Write($"lab: image pull failed: {e.Message}");
            _pod.Event("Warning", "Failed", $"Failed to pull image \"{_container.Image}\": {e.Message}");
            SetState(new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ErrImagePull", Message = e.Message } }, moveToLast: false);
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException and not OperationCanceledException)
        {
            Log.Write($"lab: container failed to start: {e.Message}");
            Terminate(128, "StartError", startedAt, e.Message);
            return 128;
        }
        catch (OperationCanceledException)
        {
            return 143;
        }

        SetState(new V1ContainerState { Running = new V1ContainerStateRunning { StartedAt = startedAt.UtcDateTime } }, moveToLast: false);
        if (!_started)
        {
            _started = true;
            _pod.Event("Normal", "Started", $"Started container {Name}");
        }

        int exitCode;
        try
        {
            var stopped = Task.Delay(Timeout.InfiniteTimeSpan, stop);
            if (await Task.WhenAny(process.Exited, stopped).ConfigureAwait(false) == process.Exited)
            {
                exitCode = await process.Exited.ConfigureAwait(false);
            }
            else
            {
                try
                {
                    // upstream: kubelet kuberuntime_container.go killContainer — SIGTERM, then SIGKILL once the pod's
                    // terminationGracePeriodSeconds (lab time) has passed; never longer than StopBound of wall time, so a
                    // lab slowed far below real time still stops within its shutdown bound.
                    using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(_pod.Pod.Spec.TerminationGracePeriodSeconds ?? 30), _pod.Time);
                    using var bound = new CancellationTokenSource(StopBound);
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(grace.Token, bound.Token);
                    try
                    {
                        // Bounded here too, not only by the token: a runtime that ignores it must not hold the pod.
                        await process.StopAsync(either.Token).WaitAsync(either.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (either.IsCancellationRequested)
                    {
                        Log.Write("lab: the container did not stop within its grace period: killed");
                    }
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    Log.Write($"lab: stop failed: {e.Message}");
                }

                exitCode = process.Exited.IsCompletedSuccessfully ? process.Exited.Result : 137;
            }
        }
        finally
        {
            await ReleaseAsync(process).ConfigureAwait(false);
        }

        Readiness.Set(false);
        Terminate(exitCode, exitCode == 0 ? "Completed" : "Error", startedAt, null);
        return exitCode;
    }

    // After SIGKILL a real container is gone whatever its process did; here a runtime's disposal that never ends
    // (a bug in it) would hold the pod's stop, the kubelet's and the lab's shutdown forever: it gets StopBound, then is
    // left behind with a line in the container's log.
    private async Task ReleaseAsync(IContainerProcess process)
    {
        var disposed = process.DisposeAsync().AsTask();
        try
        {
            await disposed.WaitAsync(StopBound).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            Log.Write(string.Create(CultureInfo.InvariantCulture, $"lab: the container's runtime did not release it within {StopBound.TotalSeconds:0} s of its stop; left behind"));
            _ = disposed.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Write($"lab: releasing the container failed: {e.Message}");
        }
    }

    private void Terminate(int exitCode, string reason, DateTimeOffset startedAt, string? message) =>
        SetState(new V1ContainerState
        {
            Terminated = new V1ContainerStateTerminated
            {
                ExitCode = exitCode,
                Reason = reason,
                Message = message,
                StartedAt = startedAt.UtcDateTime,
                FinishedAt = _pod.Time.GetUtcNow().UtcDateTime,
            },
        }, moveToLast: false);

    private void SetState(V1ContainerState state, bool moveToLast)
    {
        lock (_gate)
        {
            if (moveToLast && _state.Terminated is not null)
            {
                _lastState = _state;
            }
            else if (state.Running is not null && _state.Terminated is not null)
            {
                _lastState = _state;
            }

            _state = state;
        }

        _pod.PublishStatusSoon();
    }

    private static string EventSeconds(TimeSpan span) =>
        span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds}s" : span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s";
}
