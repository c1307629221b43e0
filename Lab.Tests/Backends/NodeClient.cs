using System.Diagnostics;
using System.Text.Json;

namespace OtelLab.Tests.Backends;

/// <summary>Runs a script of Lab.Tests/Clients/node (real npm clients) as a child process and parses its one-line JSON output.</summary>
internal static class NodeClient
{
    private static readonly Lazy<string?> Folder = new(FindFolder);

    /// <summary>Skips the test (with the reason) when node or the installed npm clients are missing.</summary>
    public static void SkipIfUnavailable()
    {
        if (Folder.Value is null)
        {
            Assert.Skip("Lab.Tests/Clients/node not found next to the test binaries' source tree.");
        }

        if (!Directory.Exists(Path.Combine(Folder.Value, "node_modules")))
        {
            Assert.Skip("npm clients not installed: the build runs `npm ci` in Lab.Tests/Clients/node (is npm on PATH?).");
        }

        if (FindOnPath("node") is null)
        {
            Assert.Skip("node is not on PATH.");
        }
    }

    public static async Task<JsonElement> RunAsync(string script, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        SkipIfUnavailable();
        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = Folder.Value!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(script);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = (await stdout).Trim();
        Assert.True(process.ExitCode == 0 && output.Length > 0, $"node {script} exited {process.ExitCode}: {output}\n{await stderr}");
        return JsonDocument.Parse(output.Split('\n')[^1]).RootElement.Clone();
    }

    private static string? FindFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "Lab.Tests", "Clients", "node");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
