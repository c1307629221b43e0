using System.ComponentModel;
using System.Diagnostics;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// <c>kubectl exec</c> into a child-process container: the command runs as another child process with the
/// container's environment and working directory (its pod folder), its output streamed to the caller, its exit code
/// returned; cancelled, it is killed with its tree.
/// </summary>
internal static class ProcessExec
{
    public static async Task<int> RunAsync(ProcessStartInfo container, ExecRequest request, CancellationToken cancellationToken)
    {
        if (request.Command.Count == 0)
        {
            throw ContainerExecException.NotFound(string.Empty);
        }

        var program = ProcessContainerRuntime.ResolveProgram(request.Command[0]) ?? throw ContainerExecException.NotFound(request.Command[0]);
        var info = new ProcessStartInfo(program)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = container.WorkingDirectory,
        };
        foreach (var argument in request.Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in container.Environment)
        {
            info.Environment[name] = value;
        }

        using var process = new Process { StartInfo = info };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            // Found on PATH but not executable: runc's "permission denied".
            throw new ContainerExecException($"exec: \"{request.Command[0]}\": {e.Message}", e);
        }

        try
        {
            var stdout = process.StandardOutput.BaseStream.CopyToAsync(request.Stdout, cancellationToken);
            var stderr = process.StandardError.BaseStream.CopyToAsync(request.Stderr, cancellationToken);
            // The command's end is the exec's end, whether or not the client ever closes stdin (v4 has no way to).
            using var stdinDone = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var stdin = CopyStdinAsync(request.Stdin, process, stdinDone.Token);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            await Task.WhenAll(stdout, stderr).ConfigureAwait(false);
            await stdinDone.CancelAsync().ConfigureAwait(false);
            await stdin.ConfigureAwait(false);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            throw;
        }
    }

    private static async Task CopyStdinAsync(Stream? stdin, Process process, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await stdin.CopyToAsync(process.StandardInput.BaseStream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
        {
            // the command exited without reading all of its input
        }
        finally
        {
            try
            {
                process.StandardInput.Close();
            }
            catch (IOException)
            {
            }
        }
    }
}
