using System.Net;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.SampleServices;

/// <summary>
/// checkout (Java) → payments (Python) → ledger (Node) as child processes on loopback, each with the environment the
/// operator's webhook and the kubelet give it, exporting to an in-test <see cref="OtlpTraceReceiver"/>.
/// </summary>
internal sealed class SampleServiceChain : IAsyncDisposable
{
    private static readonly string ServicesDir = Path.Combine(RepoPaths.Root, "SampleServices");
    private static readonly string JavaAgentDir = Path.Combine(ServicesDir, "out", "agents", "java");
    private static readonly string CheckoutClasses = Path.Combine(ServicesDir, "out", "checkout", "classes");
    private static readonly string PythonAgentDir = Path.Combine(ServicesDir, "agents", "python");
    private static readonly string NodeAgentDir = Path.Combine(ServicesDir, "agents", "nodejs");

    private readonly List<SampleServiceProcess> _processes = [];

    private SampleServiceChain(OtlpTraceReceiver receiver) => Receiver = receiver;

    public OtlpTraceReceiver Receiver { get; }

    public IReadOnlyList<SampleServiceProcess> Processes => _processes;

    public SampleServiceProcess Checkout => _processes[0];

    /// <summary>The address payments listens on (checkout's PAYMENTS_URL host: its CLIENT span's <c>server.address</c>).</summary>
    public string PaymentsHost => new Uri(_processes[1].BaseUrl).Host;

    /// <summary>Skips the test (with the reason) when a runtime or a built agent is missing.</summary>
    public static void SkipUnlessRunnable()
    {
        foreach (var tool in new[] { "java", "python3", "node" })
        {
            if (!OnPath(tool))
            {
                Assert.Skip($"{tool} is not on PATH: the sample-service tests need Java 17+, Python 3 and Node 20.");
            }
        }

        var built = new[] { Path.Combine(JavaAgentDir, "javaagent.jar"), Path.Combine(CheckoutClasses, "lab", "checkout", "CheckoutService.class"), Path.Combine(NodeAgentDir, "node_modules", ".package-lock.json") };
        foreach (var file in built.Where(f => !File.Exists(f)))
        {
            Assert.Skip($"{file} is missing: the build (SampleServices/SampleServices.targets) could not build it; see its message in the build output (javac/npm missing?).");
        }
    }

    /// <param name="instrumentationYaml">The Instrumentation CR; <c>{endpoint}</c> is replaced by the receiver's URL.</param>
    /// <param name="errorRatio">ERROR_RATIO per service name.</param>
    public static async Task<SampleServiceChain> StartAsync(string instrumentationYaml, IReadOnlyDictionary<string, string> errorRatio, CancellationToken cancellationToken)
    {
        var receiver = await OtlpTraceReceiver.StartAsync(cancellationToken);
        var chain = new SampleServiceChain(receiver);
        try
        {
            var yaml = instrumentationYaml.Replace("{endpoint}", receiver.Endpoint, StringComparison.Ordinal);
            var (checkout, payments, ledger) = (TestAddressSlot.NextProcessAddress(), TestAddressSlot.NextProcessAddress(), TestAddressSlot.NextProcessAddress());
            Dictionary<string, string> Env(string service, IPAddress address, params (string Key, string Value)[] more)
            {
                var env = new Dictionary<string, string>
                {
                    ["PORT"] = ServicePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["BIND_ADDRESS"] = address.ToString(),
                    ["ERROR_RATIO"] = errorRatio.GetValueOrDefault(service, "0"),
                };
                foreach (var (key, value) in more)
                {
                    env[key] = value;
                }

                return env;
            }

            chain.Start("checkout", "java", Env("checkout", checkout, ("PAYMENTS_URL", Url(payments))), yaml,
                new Dictionary<string, string> { ["opentelemetry-auto-instrumentation-java"] = JavaAgentDir },
                "java", ["-cp", CheckoutClasses, "lab.checkout.CheckoutService"], checkout);
            chain.Start("payments", "python", Env("payments", payments, ("LEDGER_URL", Url(ledger))), yaml,
                new Dictionary<string, string> { ["opentelemetry-auto-instrumentation-python"] = PythonAgentDir },
                "python3", [Path.Combine(ServicesDir, "payments", "app.py")], payments);
            chain.Start("ledger", "nodejs", Env("ledger", ledger), yaml,
                new Dictionary<string, string> { ["opentelemetry-auto-instrumentation-nodejs"] = NodeAgentDir },
                "node", [Path.Combine(ServicesDir, "ledger", "server.js")], ledger);
            await chain.WaitHealthyAsync(cancellationToken);
            return chain;
        }
        catch
        {
            await chain.DisposeAsync();
            throw;
        }
    }

    /// <summary>The port every sample service of a test listens on, each on its own address (<see cref="TestAddressSlot.NextProcessAddress"/>).</summary>
    internal const int ServicePort = 8080;

    /// <summary>The base URL of a sample service listening on <paramref name="address"/>.</summary>
    internal static string Url(IPAddress address) => $"http://{address}:{ServicePort}";

    private void Start(string service, string language, Dictionary<string, string> containerEnv, string yaml, Dictionary<string, string> agentDirs, string fileName, string[] arguments, IPAddress address)
    {
        var env = OperatorInjectedEnvironment.For(service, language, containerEnv, yaml, agentDirs);
        _processes.Add(SampleServiceProcess.Start(service, fileName, arguments, ServicesDir, env, Url(address)));
    }

    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        foreach (var service in _processes)
        {
            var healthy = await Eventually.WaitAsync(
                async () =>
                {
                    if (service.HasExited)
                    {
                        throw new InvalidOperationException($"{service.Name} exited:\n{service.Output}");
                    }

                    try
                    {
                        using var response = await http.GetAsync(service.BaseUrl + "/health", cancellationToken);
                        return response.StatusCode == HttpStatusCode.OK;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                    catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        return false;
                    }
                },
                TimeSpan.FromSeconds(60),
                cancellationToken);
            Assert.True(healthy, $"{service.Name} did not answer GET /health within 60 s:\n{service.Output}");
        }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, tool)));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        await Receiver.DisposeAsync();
    }
}
