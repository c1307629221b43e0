using System.Diagnostics;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>Runs a real kubectl binary against the fixture's API server; skips the test when the binary is absent.</summary>
internal static class Kubectl
{
    public const string Default = "/usr/bin/kubectl";

    public static string Version(int minor) => $"/usr/lib/google-cloud-sdk/bin/kubectl.1.{minor}";

    public static Task<(int ExitCode, string Out, string Err)> RunAsync(ApiServerFixture fixture, string binary, params string[] args) =>
        RunAsync(fixture.KubeconfigPath, fixture.TempPath, binary, args);

    /// <param name="scratch">A folder for kubectl's HOME and caches (per cluster: kubectl caches discovery per host:port).</param>
    public static async Task<(int ExitCode, string Out, string Err)> RunAsync(string kubeconfig, string scratch, string binary, params string[] args)
    {
        if (!File.Exists(binary))
        {
            Assert.Skip($"{binary} is not installed: these tests drive the real kubectl against the simulated API server.");
        }

        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        // Each binary gets its own cache: kubectl caches discovery per host:port, and versions differ in what they ask for.
        // The flag goes first: after an exec's "--" it would be part of the command.
        start.ArgumentList.Insert(0, $"--cache-dir={Path.Combine(scratch, "cache", Path.GetFileName(binary))}");
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = scratch;
        using var process = Process.Start(start)!;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
