namespace OtelLab.Tests.Support;

/// <summary>Waits for a condition that an external process makes true, polling it until a deadline.</summary>
internal static class Eventually
{
    public static Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitAsync(condition, timeout, TimeSpan.FromMilliseconds(250), cancellationToken);

    /// <summary>A condition of in-process state, cheap to read: polled every <paramref name="poll"/>.</summary>
    public static Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, TimeSpan poll, CancellationToken cancellationToken) =>
        WaitAsync(() => Task.FromResult(condition()), timeout, poll, cancellationToken);

    private static async Task<bool> WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, TimeSpan poll, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var ticks = new PeriodicTimer(poll);
        try
        {
            do
            {
                if (await condition())
                {
                    return true;
                }
            }
            while (await ticks.WaitForNextTickAsync(deadline.Token));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        return false;
    }
}
