using System.Diagnostics;

namespace OtelLab.Tests.Sim.ArgoCd;

/// <summary>A throw-away git work tree made with the real git CLI: write files, commit, tag.</summary>
internal sealed class TempGitRepository : IDisposable
{
    public TempGitRepository()
    {
        Root = Path.Combine(Path.GetTempPath(), "otel-lab-git-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(System.IO.Path.Combine(Root, "repo"));
        Git("init", "-q", "-b", "main");
        Git("config", "user.email", "lab@example.test");
        Git("config", "user.name", "lab");
        Git("config", "commit.gpgsign", "false");
    }

    public string Root { get; }

    public string RepoPath => System.IO.Path.Combine(Root, "repo");

    public string WorkDirectory => System.IO.Path.Combine(Root, "work");

    public TempGitRepository Write(string relativePath, string text)
    {
        var file = System.IO.Path.Combine(RepoPath, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, text);
        return this;
    }

    public TempGitRepository Remove(string relativePath)
    {
        Git("rm", "-q", relativePath);
        return this;
    }

    /// <summary>Commits everything and returns the new commit's SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "-A");
        Git("commit", "-q", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD");
    }

    public string Git(params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(RepoPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"git {string.Join(' ', args)}: {error}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
