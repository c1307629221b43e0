using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using OtelLab.Backends;
using OtelLab.Backends.Benchmarks;
using OtelLab.Backends.Capture;
using OtelLab.Backends.Datadog;
using OtelLab.Backends.Dynatrace;
using OtelLab.Model.Secrets;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>backends [--dynatrace-token T] [--datadog-api-key K] [--port P] [--address A]</c>: runs the mock Dynatrace and
/// Datadog on loopback until Ctrl+C, so a person can point a real collector at them.
/// <c>backends bench</c>: measures their ingest rate.
/// </summary>
internal static class BackendsCommand
{
    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var dynatraceToken = new Option<string?>("--dynatrace-token") { Description = "API token the mock Dynatrace accepts (all OTLP ingest scopes). Generated when omitted." };
        var datadogKey = new Option<string?>("--datadog-api-key") { Description = "API key the mock Datadog accepts (32 hex digits). Generated when omitted." };
        var port = new Option<int>("--port") { Description = "Port of the mock Dynatrace; the mock Datadog takes the next one. 0 = any free ports.", DefaultValueFactory = _ => 0 };
        var address = new Option<string>("--address") { Description = "Loopback address to bind (127.0.0.0/8).", DefaultValueFactory = _ => "127.0.0.1" };
        var command = new Command("backends", "Run the mock Dynatrace and Datadog on loopback until Ctrl+C (point a real collector at them).")
        {
            dynatraceToken, datadogKey, port, address,
        };
        command.SetAction((parse, ct) => RunAsync(
            stdout, stderr, parse.GetValue(dynatraceToken), parse.GetValue(datadogKey), parse.GetValue(port), parse.GetValue(address)!, ct));
        command.Add(CreateBench(stdout));
        return command;
    }

    private static Command CreateBench(TextWriter stdout)
    {
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds per case.", DefaultValueFactory = _ => 5 };
        var clients = new Option<int>("--clients") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => 4 };
        var spans = new Option<int>("--spans-per-request") { Description = "Spans in each request.", DefaultValueFactory = _ => 1000 };
        var bench = new Command("bench", "Measure the mocks' ingest rate for OTLP protobuf spans (Dynatrace) and AgentPayload traces (Datadog) on loopback.")
        {
            seconds, clients, spans,
        };
        bench.SetAction(async (parse, ct) =>
        {
            var options = new IngestBenchmarkOptions
            {
                Duration = TimeSpan.FromSeconds(Math.Max(0.1, parse.GetValue(seconds))),
                Warmup = TimeSpan.FromSeconds(Math.Min(2, Math.Max(0.1, parse.GetValue(seconds) / 2))),
                Clients = Math.Max(1, parse.GetValue(clients)),
                SpansPerRequest = Math.Max(1, parse.GetValue(spans)),
            };
            await stdout.WriteLineAsync($"Ingest benchmark: {options.Clients} clients, {options.SpansPerRequest} spans/request, {options.Duration.TotalSeconds:0.#} s per case, {Environment.ProcessorCount} cores (client and server share them)").ConfigureAwait(false);
            await stdout.WriteLineAsync($"{"backend",-10} {"payload",-20} {"requests",9} {"spans",10} {"failed",7} {"spans/s",10} {"CPU %",6} {"spans/CPU-s",12}").ConfigureAwait(false);
            var results = await IngestBenchmark.RunAsync(options, ct).ConfigureAwait(false);
            foreach (var r in results)
            {
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{r.Backend,-10} {r.Payload,-20} {r.Requests,9} {r.Spans,10} {r.Failures,7} {r.SpansPerSecond,10:N0} {r.CpuPercent,6:0} {r.SpansPerCpuSecond,12:N0}")).ConfigureAwait(false);
            }

            var baseline = results[0].SpansPerSecond;
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"ratios to {results[0].Backend} {results[0].Payload}: {string.Join(", ", results.Skip(1).Select(r => $"{r.Backend} {r.Payload} {r.SpansPerSecond / baseline:0.00}x"))}")).ConfigureAwait(false);
            return results.Any(r => r.Failures > 0) ? LabCli.ExitFindings : 0;
        });
        return bench;
    }

    private static async Task<int> RunAsync(TextWriter stdout, TextWriter stderr, string? dynatraceToken, string? datadogKey, int port, string address, CancellationToken cancellationToken)
    {
        if (!IPAddress.TryParse(address, out var ip) || !IPAddress.IsLoopback(ip) || ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            await stderr.WriteLineAsync($"error: --address '{address}' is not a loopback IPv4 address; the lab binds only to 127.0.0.0/8 (e.g. 127.0.0.1 or 127.64.0.10).").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        if (port is < 0 or > 65534)
        {
            await stderr.WriteLineAsync($"error: --port {port} is out of range; give 0 (any free port) or 1-65534 (Datadog takes port + 1).").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        string? credentialsFile = null;
        if (dynatraceToken is null || datadogKey is null)
        {
            dynatraceToken ??= "dt0c01." + RandomToken(24) + "." + RandomToken(64);
            datadogKey ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
            credentialsFile = await WriteCredentialsAsync(dynatraceToken, datadogKey, cancellationToken).ConfigureAwait(false);
        }

        await using var dynatrace = new DynatraceBackendBuilder().WithToken(dynatraceToken).WithAddress(ip).WithPort(port).Build();
        await using var datadog = new DatadogBackendBuilder().WithApiKey(datadogKey).WithAddress(ip).WithPort(port == 0 ? 0 : port + 1).Build();
        try
        {
            await dynatrace.StartAsync(cancellationToken).ConfigureAwait(false);
            await datadog.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await stderr.WriteLineAsync($"error: cannot listen on {address}:{port}: {e.Message}. Choose another --port (or 0 for any free one).").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        await PrintAsync(stdout, dynatrace, datadog, dynatraceToken, datadogKey, credentialsFile).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C
        }

        await stdout.WriteLineAsync("Stopping the mock backends.").ConfigureAwait(false);
        await PrintSummaryAsync(stdout, dynatrace).ConfigureAwait(false);
        await PrintSummaryAsync(stdout, datadog).ConfigureAwait(false);

        // Keep the run replayable: everything captured, as OTLP/JSON files (one per backend and signal).
        var export = Path.Combine("artifacts", "backends-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        foreach (var backend in new IMockBackend[] { dynatrace, datadog })
        {
            await OtlpJsonExport.WriteFilesAsync(backend.Captures, export, CancellationToken.None).ConfigureAwait(false);
        }

        await stdout.WriteLineAsync($"Captures written as OTLP/JSON to {export}/").ConfigureAwait(false);
        return 0;
    }

    private static async Task PrintAsync(TextWriter stdout, DynatraceBackend dynatrace, DatadogBackend datadog, string token, string key, string? credentialsFile)
    {
        var dt = CredentialFingerprint.Of(token).Masked;
        var dd = CredentialFingerprint.Of(key).Masked;
        await stdout.WriteLineAsync($"""
            Mock Dynatrace  {dynatrace.BaseAddress}
              otlphttp exporter: endpoint {dynatrace.OtlpEndpoint}  headers: Authorization: "Api-Token <token>"  (token {dt})
            Mock Datadog    {datadog.BaseAddress}
              datadog exporter: api.key <key> ({dd}); metrics.endpoint, traces.endpoint, logs.endpoint = {datadog.BaseAddress.ToString().TrimEnd('/')}; host_metadata.enabled: false
            Query API on each base URL: {string.Join(" ", OtelLab.Backends.Hosting.LabQueryApi.Paths)}
            """).ConfigureAwait(false);
        if (credentialsFile is not null)
        {
            await stdout.WriteLineAsync($"Generated credentials (in clear, mode 0600): {credentialsFile}").ConfigureAwait(false);
        }

        await stdout.WriteLineAsync("Running; press Ctrl+C to stop.").ConfigureAwait(false);
    }

    private static Task PrintSummaryAsync(TextWriter stdout, IMockBackend backend)
    {
        var s = backend.Captures.Summary();
        return stdout.WriteLineAsync($"  {backend.Name}: {s.AcceptedSpans} spans, {s.AcceptedMetricPoints} metric points, {s.AcceptedLogRecords} log records accepted; {s.RejectedRequests} requests and {s.RejectedItems} items rejected");
    }

    private static async Task<string> WriteCredentialsAsync(string token, string key, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Directory.GetCurrentDirectory(), "artifacts");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, "backends-credentials.env");
        // Owner-only from its first byte, and without a byte-order mark: a shell sourcing it (`set -a; . FILE`) would
        // read a BOM as part of the first variable's name.
        await OwnerOnlyFile.WriteAllTextAsync(path, $"DYNATRACE_API_TOKEN={token}\nDD_API_KEY={key}\n", cancellationToken).ConfigureAwait(false);
        return Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
    }

    private static string RandomToken(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        return string.Create(length, alphabet, static (span, chars) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = chars[RandomNumberGenerator.GetInt32(chars.Length)];
            }
        });
    }
}
