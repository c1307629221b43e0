using System.Diagnostics;
using System.Text;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// One sample service (or the lab itself, for the signal tests) as a child process on loopback, stdout and stderr
/// captured together; killed with its process tree on dispose.
/// </summary>
internal sealed class SampleServiceProcess : IDisposable
{
    // The test host's own agent/SDK variables must not leak into the child: it gets exactly what the pod would.
    private static readonly string[] InheritedPrefixesToDrop = ["OTEL_", "JAVA_TOOL_OPTIONS", "NODE_OPTIONS", "PYTHONPATH", "_JAVA_OPTIONS"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SampleServiceProcess(string name, Process process, string baseUrl)
    {
        Name = name;
        _process = process;
        BaseUrl = baseUrl;
    }

    public string Name { get; }

    public string BaseUrl { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static SampleServiceProcess Start(string name, string fileName, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> env, string baseUrl)
    {
        var info = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var key in info.Environment.Keys.Where(k => InheritedPrefixesToDrop.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList())
        {
            info.Environment.Remove(key);
        }

        foreach (var (key, value) in env)
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info };
        var service = new SampleServiceProcess(name, process, baseUrl);
        process.OutputDataReceived += (_, e) => service.Append(e.Data);
        process.ErrorDataReceived += (_, e) => service.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    public bool HasExited => _process.HasExited;

    public int Pid => _process.Id;

    public int ExitCode => _process.ExitCode;

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Whether the process ends within <paramref name="bound"/> (false, not a timeout exception, so the caller's message says why).</summary>
    public async Task<bool> ExitsWithinAsync(TimeSpan bound, CancellationToken cancellationToken)
    {
        try
        {
            await _process.WaitForExitAsync(cancellationToken).WaitAsync(bound, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// A failure message that a CI summary keeping only a message's first lines still explains: the reason, the exit
    /// code, then the process's own last lines — the forwarded log entries (<c>info: Category[0]</c> and their
    /// indented continuation lines) left out, since a lab's shutdown writes hundreds of them after its own lines.
    /// </summary>
    public string Describe(string reason, int lines = 20)
    {
        var own = new List<string>();
        var inEntry = false;
        foreach (var line in Output.Split('\n'))
        {
            var text = line.TrimEnd('\r');
            if (LogLevels.Any(l => text.TrimStart().StartsWith(l, StringComparison.Ordinal)))
            {
                inEntry = true;
                continue;
            }

            if (inEntry && text.StartsWith("  ", StringComparison.Ordinal))
            {
                continue;
            }

            inEntry = false;
            if (text.Length > 0)
            {
                own.Add(text);
            }
        }

        var state = _process.HasExited ? $"exit code {_process.ExitCode}" : "still running";
        return $"{reason} ({Name}: {state}); its last {Math.Min(lines, own.Count)} own lines (log entries left out):\n" + string.Join('\n', own.TakeLast(lines));
    }

    private static readonly string[] LogLevels = ["trce: ", "dbug: ", "info: ", "warn: ", "fail: ", "crit: "];

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }

        _process.Dispose();
    }
}
