using OtelLab.Sim.Kubelet.Internal;
using OtelLab.Tests.SampleServices;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>
/// Termination signals to a real <c>otel-lab up</c> process: the first shuts the lab down in reverse order and exits 0
/// with no process of its tree left; a second during that shutdown ends it at once and nothing throws. The tests send
/// SIGTERM, which takes the same path as Ctrl+C's SIGINT: a non-interactive shell starts background jobs with SIGINT
/// ignored, .NET keeps an inherited SIGINT ignore, so a SIGINT test only passed when the runner ran in the foreground
/// (seen: both failed when the runner itself was started as a background job). (These labs
/// stop in well under 2 s, so System.CommandLine's former handler passed them too: what it got wrong — ending the
/// process 2 s into a longer shutdown, and an unhandled exception for a signal to a lab already stopping — needed a
/// wedged 9,000-target lab to show.)
/// </summary>
[Trait("Category", "Lab")]
public sealed class TerminationSignalsTests
{

    // Generous: the lab starts the sample services (JVM, Python, Node) and 30 farm targets; ready is ~3 s here.
    private static readonly TimeSpan ReadyBound = TimeSpan.FromSeconds(90);

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_first_termination_signal_stops_the_lab_cleanly_exits_0_and_leaves_no_process_of_its_tree()
    {
        var ct = TestContext.Current.CancellationToken;

        // Given a running lab (its own process, as `dotnet run --project AppHost` starts it)
        var (lab, tree) = await StartReadyLabAsync(ct);
        using var _ = lab;

        // When SIGTERM (or Ctrl+C) arrives once
        Assert.True(ProcessSignals.Send(tree[0], ProcessSignals.SigTerm));

        // Then the lab shuts down in reverse order, says so, exits 0 and no process of its tree is left
        Assert.True(await lab.ExitsWithinAsync(TimeSpan.FromSeconds(60), ct), lab.Describe("the lab did not exit within 60 s of SIGTERM"));
        Assert.True(lab.ExitCode == 0, lab.Describe("the lab did not exit 0 after one SIGTERM"));
        Assert.Contains("Shutting down (reverse order)", lab.Output, StringComparison.Ordinal);
        Assert.Contains("Stopped cleanly:", lab.Output, StringComparison.Ordinal);
        Assert.All(tree.Skip(1), p => Assert.False(ProcessSignals.IsAlive(p), $"pid {p.Pid} outlived the lab"));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_second_termination_signal_during_the_shutdown_ends_the_process_at_once_without_an_unhandled_exception()
    {
        var ct = TestContext.Current.CancellationToken;

        // Given a running lab
        var (lab, tree) = await StartReadyLabAsync(ct);
        using var _ = lab;

        // When SIGTERM arrives, and again once the shutdown has begun
        Assert.True(ProcessSignals.Send(tree[0], ProcessSignals.SigTerm));
        Assert.True(await Eventually.WaitAsync(() => Task.FromResult(lab.Output.Contains("Shutting down", StringComparison.Ordinal) || lab.HasExited), TimeSpan.FromSeconds(30), ct), lab.Describe("no shutdown began within 30 s of SIGTERM"));
        ProcessSignals.Send(tree[0], ProcessSignals.SigTerm);

        // Then it is gone promptly (either the clean shutdown won the race, exit 0, or the signal's default action
        // ended it, 128 + 15), its services follow it (they watch the lab's pid), and nothing threw
        Assert.True(await lab.ExitsWithinAsync(TimeSpan.FromSeconds(30), ct), lab.Describe("the lab did not exit within 30 s of SIGTERM"));
        Assert.Contains(lab.ExitCode, new[] { 0, 128 + ProcessSignals.SigTerm });
        Assert.DoesNotContain("Unhandled exception", lab.Output, StringComparison.Ordinal);
        Assert.True(
            await Eventually.WaitAsync(() => Task.FromResult(tree.Skip(1).All(p => !ProcessSignals.IsAlive(p))), TimeSpan.FromSeconds(15), ct),
            "a sample service outlived the lab");
    }

    private static async Task<(SampleServiceProcess Lab, IReadOnlyList<ProcessSignals.ProcessIdentity> Tree)> StartReadyLabAsync(CancellationToken ct)
    {
        LabCliRun.SkipWithoutLoopbackSupport();
        // The built lab (otel-lab.dll, copied beside the tests), as `dotnet run --project AppHost` starts it.
        string[] args = [Path.Combine(AppContext.BaseDirectory, "otel-lab.dll"), "up", "--scenario", RepoPaths.Scenario("payments-fixed"), "--targets", "30", "--port", "-1"];
        var lab = SampleServiceProcess.Start("otel-lab", "dotnet", args, RepoPaths.Root, new Dictionary<string, string>(), baseUrl: "");
        try
        {
            Assert.True(await Eventually.WaitAsync(() => Task.FromResult(lab.Output.Contains("Lab ready in", StringComparison.Ordinal) || lab.HasExited), ReadyBound, ct), lab.Describe($"the lab was not ready within {ReadyBound.TotalSeconds:0} s"));
            Assert.False(lab.HasExited, lab.Describe("the lab ended before it was ready"));
            var tree = ProcessSignals.Tree(lab.Pid);
            Assert.True(tree.Count > 1, lab.Describe("the sample services run as the lab's children, and it had none"));
            return (lab, tree);
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }
}
