using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.AppHost;

/// <summary>Drives <c>otel-lab up</c> (the default verb) in-process, bounded by --duration.</summary>
[Collection(nameof(ProcessListenersCollection))]
[Trait("Category", "Lab")]
public sealed partial class UpCommandTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task With_no_verb_the_lab_comes_up_on_the_bundled_scenario_and_a_bounded_run_exits_0_after_a_clean_shutdown()
    {
        LabCliRun.SkipWithoutLoopbackSupport();

        // Given no listener on the sim's node, pod or Service addresses
        Assert.Empty(SimListeners());

        // When the lab runs with no verb for a bounded time, output not a terminal, its kubeconfig written where asked
        // with a context for the Target Allocator's ServiceAccount
        using var folder = new TempDirectory();
        var kubeconfig = Path.Combine(folder.Path, "kube", "otel-lab.yaml");
        var (code, output, error) = await LabCliRun.RunAsync("--duration", "1s", "--port", "0",
            "--kubeconfig", kubeconfig, "--kubeconfig-service-account", "observability/otel-prometheus-targetallocator");

        // Then it came up on the payments scenario, printed its measured start-up time and plain status lines, and exited 0
        Assert.True(code == 0, output + error);
        Assert.Contains("OTel Lab: scenario payments on the simulated cluster", output, StringComparison.Ordinal);
        Assert.Matches(@"Lab ready in \d+\.\d\d s", output);
        Assert.Contains($"Kubernetes API at https://127.", output, StringComparison.Ordinal);
        Assert.Contains($"; for kubectl: export KUBECONFIG={kubeconfig}", output, StringComparison.Ordinal);
        var written = await File.ReadAllTextAsync(kubeconfig, TestContext.Current.CancellationToken);
        Assert.Contains("certificate-authority-data: ", written, StringComparison.Ordinal);
        Assert.Contains("- name: \"otel-lab:observability:otel-prometheus-targetallocator\"", written, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig)); // it holds bearer tokens
        }
        Assert.Contains("resource workloads: Running", output, StringComparison.Ordinal);
        // (every resource of the graph runs and every pod that exists is ready: the guide's gateway has none)
        Assert.Matches(@"resources (\d+)/\1 running \| pods (\d+)/\2 ready", output);
        Assert.Contains("findings: 12 error(s)", output, StringComparison.Ordinal); // the guide's static errors (its Helm install refused by the chart's schema among them) and the gateway without pods
        Assert.DoesNotContain("\u001b[", output, StringComparison.Ordinal); // plain mode: no ANSI escapes

        // And everything stopped: every resource reads stopped, no sim listener is left, the dashboard port is free again
        var stopped = output[output.IndexOf("Stopped cleanly: ", StringComparison.Ordinal)..];
        Assert.DoesNotContain("running", stopped, StringComparison.Ordinal);
        // (the step names its slowest resources, the node agents with their slowest pods among them; on a busy machine
        // the host's own stop may be cut at its bound, which the line then says)
        Assert.True(ShutdownLine().IsMatch(stopped), stopped);
        Assert.Empty(SimListeners());
        var port = int.Parse(DashboardPort().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        using var probe = new TcpListener(IPAddress.Loopback, port);
        probe.Start();
    }

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData("--duration", "soon", "--duration soon: time: invalid duration \"soon\"")]
    [InlineData("--scenario", "nope", "--scenario nope: no such scenario (bundled: ")]
    [InlineData("--manifests", "/no/such/dir", "--manifests /no/such/dir: no such folder")]
    [InlineData("--targets", "-5", "--targets -5: must be 0 or more")]
    [InlineData("--rate", "-1", "--rate -1: must be 0 or more requests per second")]
    [InlineData("--kubeconfig-service-account", "otel-prometheus-targetallocator", "--kubeconfig-service-account 'otel-prometheus-targetallocator': expected NAMESPACE/NAME")]
    [InlineData("--kubeconfig", "/tmp", "--kubeconfig '/tmp': is a folder; give a file path")]
    public async Task Unusable_options_exit_2_with_what_is_wrong(string option, string value, string message)
    {
        var (code, _, error) = await LabCliRun.RunAsync("up", option, value, "--port", "-1");

        Assert.Equal(2, code);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_dashboard_port_in_use_or_out_of_range_exits_2_before_anything_starts()
    {
        // Given a program already listening on the port asked for the dashboard
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var busy = ((IPEndPoint)taken.LocalEndpoint).Port;

        // When the lab is asked for its dashboard there, and on a port with no room after it
        var (inUse, _, inUseError) = await LabCliRun.RunAsync("up", "--port", busy.ToString(CultureInfo.InvariantCulture));
        var (outOfRange, _, rangeError) = await LabCliRun.RunAsync("up", "--port", "65535");

        // Then both exit 2 saying which port and what to do
        Assert.Equal(2, inUse);
        Assert.Contains($"127.0.0.1:{busy} is in use", inUseError, StringComparison.Ordinal);
        Assert.Contains("fix: choose another --port", inUseError, StringComparison.Ordinal);
        Assert.Equal(2, outOfRange);
        Assert.Contains("must be -1, 0, or a port from 2 to 65533", rangeError, StringComparison.Ordinal);
    }

    /// <summary>
    /// Listening TCP sockets of this process (inodes from /proc/self/fd; other processes on the machine may use the same
    /// ranges) on the sim's node (127.1.0.x), pod (127.64-95) and VIP (127.96-127) addresses, from /proc/net/tcp.
    /// </summary>
    private static List<string> SimListeners()
    {
        if (!File.Exists("/proc/net/tcp") || !Directory.Exists("/proc/self/fd"))
        {
            return [];
        }

        var mine = new HashSet<string>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    mine.Add(target["socket:[".Length..^1]);
                }
            }
            catch (IOException)
            {
                // the descriptor closed meanwhile
            }
        }

        return File.ReadAllLines("/proc/net/tcp").Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f[3] == "0A" && mine.Contains(f[9]))
            .Select(f => new IPAddress(BitConverter.GetBytes(uint.Parse(f[1].Split(':')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture))))
            .Where(a => LoopbackAddressPlan.IsNode(a) || LoopbackAddressPlan.IsPod(a) || LoopbackAddressPlan.IsService(a))
            .Select(a => a.ToString())
            .ToList();
    }

    [GeneratedRegex(@"dashboard http://127\.0\.0\.1:(\d+)")]
    private static partial Regex DashboardPort();

    [GeneratedRegex(@"Shutdown: stopping the lab's resources took \d+\.\d s \(slowest: [^;]*node-agents \d+\.\d s \[slowest pods: [\w-]+/[\w-]+ \d+\.\d s[^\]]*\][^;]*\); the Aspire host's own stop \(DCP, the dashboard\) took \d+\.\d s(; it was cut short at \d+\.\d s \(DCP cleans up after this process exits\))?; the lab's disposal took \d+\.\d s")]
    private static partial Regex ShutdownLine();
}
