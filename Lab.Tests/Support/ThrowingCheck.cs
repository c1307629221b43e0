using OtelLab.Scenarios.Checks;

namespace OtelLab.Tests.Support;

/// <summary>A check that throws <paramref name="exception"/> when it runs (or the cancellation, when it was cancelled first).</summary>
internal sealed class ThrowingCheck(string id, Exception exception) : IScenarioCheck
{
    public string Id => id;

    public string Title => id;

    public bool NeedsRunningLab => false;

    public Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        throw exception;
    }
}
