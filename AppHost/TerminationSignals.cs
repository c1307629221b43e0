using System.Runtime.InteropServices;

namespace OtelLab.AppHost;

/// <summary>
/// Ctrl+C and SIGTERM as the lab's verbs expect them: the first signal cancels <see cref="Token"/> and the verb shuts
/// the lab down in reverse order, however long that takes; a second signal during that shutdown is left to its
/// default action and ends the process at once (the sample services watch the lab's pid and exit with it). This is
/// the behaviour .NET Aspire's CLI settled on (microsoft/aspire#17588, "double-signal bug").
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation;
    private readonly PosixSignalRegistration _sigint;
    private readonly PosixSignalRegistration _sigterm;

    public TerminationSignals(CancellationToken outer)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    public CancellationToken Token => _cancellation.Token;

    public void Dispose()
    {
        _sigint.Dispose();
        _sigterm.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (_cancellation.IsCancellationRequested)
        {
            // Second signal: the default action (terminate) runs.
            return;
        }

        context.Cancel = true;
        _cancellation.Cancel();
    }
}
