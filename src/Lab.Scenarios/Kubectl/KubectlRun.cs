using System.Diagnostics;

namespace OtelLab.Scenarios.Kubectl;

/// <summary>One finished kubectl process: what it printed and how it ended.</summary>
public sealed record KubectlRun(int ExitCode, string Stdout, string Stderr, TimeSpan Elapsed)
{
    /// <summary>
    /// Runs <paramref name="binary"/> with <paramref name="arguments"/> against <paramref name="kubeconfig"/>, with HOME and
    /// kubectl's caches under <paramref name="scratch"/> (kubectl caches discovery per host:port, and each version asks
    /// for different documents, so each binary gets its own cache). Killed when <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<KubectlRun> StartAsync(string binary, IReadOnlyList<string> arguments, string kubeconfig, string scratch, TimeSpan timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };

        // The flag goes first: after an exec's "--" it would be part of the command.
        start.ArgumentList.Add($"--cache-dir={Path.Combine(scratch, "cache", Path.GetFileName(binary))}");
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = scratch;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        process.StandardInput.Close();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(cts.Token);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return new KubectlRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), clock.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(binary)} {string.Join(' ', arguments)} did not finish within {timeout.TotalSeconds:0} s");
        }
    }
}
