using System.Text.RegularExpressions;
using OtelLab.AppHost;

namespace OtelLab.Tests.Backends;

/// <summary>The <c>backends</c> verb: runs both mocks until cancelled, prints URLs and masked tokens; refuses non-loopback addresses.</summary>
[Trait("Category", "Component")]
public sealed partial class BackendsCommandTests
{
    [Fact]
    public async Task Runs_both_mocks_and_prints_urls_with_masked_tokens_until_cancelled()
    {
        // Given the verb with explicit credentials
        const string token = "dt0c01.CLITESTPUBLICPARTXXXXXXX.CLISECRETCLISECRETCLISECRET";
        const string key = "c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1";
        var stdout = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // When it runs until its output says it is ready, then is cancelled (Ctrl+C)
        var run = await StartAsync(["backends", "--dynatrace-token", token, "--datadog-api-key", key], stdout, stop.Token);
        var output = Snapshot(stdout);
        var dynatraceUrl = DynatraceUrl().Match(output).Groups[1].Value;
        using var http = new HttpClient();
        var summary = await http.GetStringAsync(new Uri(new Uri(dynatraceUrl), "lab/summary"), TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        var exit = await run;

        // Then both base URLs and the OTLP endpoint were printed, tokens only masked, the mock answered, exit 0
        Assert.Equal(0, exit);
        Assert.Contains("/api/v2/otlp", output, StringComparison.Ordinal);
        Assert.Contains("Mock Datadog    http://127.0.0.1:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("CLISECRET", Snapshot(stdout), StringComparison.Ordinal);
        Assert.DoesNotContain(key, Snapshot(stdout), StringComparison.Ordinal);
        Assert.Contains("\"backend\":\"dynatrace\"", summary, StringComparison.Ordinal);
        var export = ExportFolder().Match(Snapshot(stdout)).Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(export, "dynatrace-traces.json")), Snapshot(stdout));
        Assert.True(File.Exists(Path.Combine(export, "datadog-metrics.json")));
    }

    [Fact]
    public async Task Generated_credentials_go_to_a_0600_file_and_are_printed_masked()
    {
        // Given the verb without credentials
        var stdout = new StringWriter();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        // When it starts
        var run = await StartAsync(["backends"], stdout, stop.Token);
        await stop.CancelAsync();
        Assert.Equal(0, await run);

        // Then the file it names is readable by its owner only and holds the two secrets, which stdout never shows
        var output = Snapshot(stdout);
        var path = Path.Combine(Directory.GetCurrentDirectory(), CredentialsFile().Match(output).Groups[1].Value);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        // (as a shell reads it: the first bytes are the first variable's name, no byte-order mark)
        var head = "DYNATRACE_API_TOKEN="u8.ToArray();
        Assert.Equal(head, File.ReadAllBytes(path).Take(head.Length).ToArray());
        var secrets = File.ReadAllLines(path).ToDictionary(l => l.Split('=')[0], l => l.Split('=', 2)[1]);
        Assert.StartsWith("dt0c01.", secrets["DYNATRACE_API_TOKEN"], StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", secrets["DD_API_KEY"]);
        Assert.DoesNotContain(secrets["DYNATRACE_API_TOKEN"], output, StringComparison.Ordinal);
        Assert.DoesNotContain(secrets["DD_API_KEY"], output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Non_loopback_address_is_unusable_input()
    {
        var stderr = new StringWriter();

        var exit = await LabCli.RunAsync(["backends", "--address", "10.1.2.3"], TextWriter.Null, stderr, TestContext.Current.CancellationToken);

        Assert.Equal(LabCli.ExitUsage, exit);
        Assert.Contains("not a loopback IPv4 address", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bench_prints_rates_for_both_backends()
    {
        var stdout = new StringWriter();

        var exit = await LabCli.RunAsync(["backends", "bench", "--seconds", "0.2", "--clients", "1", "--spans-per-request", "50"], stdout, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal(0, exit);
        Assert.Matches(@"dynatrace\s+OTLP protobuf\s+\d+\s+\d+\s+0\s+[\d,]+", stdout.ToString());
        Assert.Matches(@"datadog\s+AgentPayload\+gzip\s+\d+\s+\d+\s+0\s+[\d,]+", stdout.ToString());
    }

    /// <summary>Starts the verb and waits (on its output, 30 s at most) until it says it is running.</summary>
    private static async Task<Task<int>> StartAsync(string[] args, StringWriter stdout, CancellationToken stop)
    {
        var run = LabCli.RunAsync(args, TextWriter.Synchronized(stdout), TextWriter.Null, stop);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Snapshot(stdout).Contains("Ctrl+C", StringComparison.Ordinal))
        {
            Assert.False(run.IsCompleted, Snapshot(stdout));
            await Task.Delay(20, timeout.Token);
        }

        return run;
    }

    private static string Snapshot(StringWriter writer)
    {
        lock (writer)
        {
            return writer.ToString();
        }
    }

    [GeneratedRegex(@"Generated credentials \(in clear, mode 0600\): (\S+)")]
    private static partial Regex CredentialsFile();

    [GeneratedRegex(@"Captures written as OTLP/JSON to (\S+)/")]
    private static partial Regex ExportFolder();

    [GeneratedRegex(@"Mock Dynatrace\s+(http://\S+)")]
    private static partial Regex DynatraceUrl();
}
