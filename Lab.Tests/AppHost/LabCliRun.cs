using OtelLab.AppHost;

namespace OtelLab.Tests.AppHost;

/// <summary>Runs the lab's command line in-process with captured output, as a user or CI would call it.</summary>
internal static class LabCliRun
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = await LabCli.RunAsync(args, stdout, stderr, TestContext.Current.CancellationToken);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Skips the calling test when the machine cannot give the sim its own loopback addresses.</summary>
    public static void SkipWithoutLoopbackSupport()
    {
        var probe = OtelLab.Sim.Networking.LoopbackSupport.Probe();
        if (!probe.Supported)
        {
            Assert.Skip(probe.Problem!);
        }
    }
}
