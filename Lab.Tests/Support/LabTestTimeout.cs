namespace OtelLab.Tests.Support;

/// <summary>
/// The bound on one lab test (a test that starts a lab or a lab process). The slowest pass in well under two
/// minutes on a loaded 2-core machine; the bound exists so a test whose awaited work can never complete fails by name
/// instead of stalling the whole run with nothing in the log (an await on a task nothing will complete leaves no
/// thread and no rooted continuation to find).
/// </summary>
internal static class LabTestTimeout
{
    public const int Milliseconds = 300_000;
}
