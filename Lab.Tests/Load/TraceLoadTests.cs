using System.Net;
using OtelLab.Load.Traces;
using OtelLab.Sim.Networking;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load;

/// <summary>Trace load: open-model rate, class ratios, exact accounting, pod source addresses, failures counted.</summary>
[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class TraceLoadTests
{
    private static readonly IPAddress Node = TestAddressSlot.Node(250);

    private static EmulatedService[] Services(int port) =>
    [
        new("checkout", TestAddressSlot.Pod(0, 200, 1), new Uri($"http://{Node}:{port}")),
        new("payments", TestAddressSlot.Pod(0, 200, 2), new Uri($"http://{Node}:{port}")),
        new("ledger", TestAddressSlot.Pod(0, 200, 3), new Uri($"http://{Node}:{port}")),
    ];

    [Theory(Timeout = LabTestTimeout.Milliseconds)]
    [InlineData(OtlpProtocol.Grpc)]
    [InlineData(OtlpProtocol.HttpProtobuf)]
    public async Task Generates_the_classes_at_their_ratios_and_every_span_reaches_the_sink_from_its_pod_address(OtlpProtocol protocol)
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a sink on a node address and three services on pod addresses
        var ct = TestContext.Current.CancellationToken;
        const int port = 14317;
        await using var sink = await OtlpTraceSink.StartAsync(protocol == OtlpProtocol.Grpc ? new IPEndPoint(Node, port) : null, protocol == OtlpProtocol.Grpc ? null : new IPEndPoint(Node, port), ct);
        const int traces = 2000;
        const double rate = 1000;
        var load = new TraceLoad(new TraceLoadOptions
        {
            Services = Services(port), Protocol = protocol, TracesPerSecond = rate, SpansPerTrace = 4, ErrorRatio = 0.1, SlowRatio = 0.2, Seed = 7,
        });

        // When 2000 traces are generated at 1000/s
        var report = await load.RunAsync(traces, ct);

        // Then the classes are within 4.5 standard deviations of their ratios for n=2000 (error p=0.1: ±0.030;
        // slow p=0.9×0.2=0.18: ±0.039), a false alarm about once in 150 000 runs
        static double Tolerance(double p, int n) => 4.5 * Math.Sqrt(p * (1 - p) / n);
        Assert.Equal(traces, report.TracesGenerated);
        Assert.InRange(report.TraceIds[TraceClass.Error].Count / (double)traces, 0.1 - Tolerance(0.1, traces), 0.1 + Tolerance(0.1, traces));
        Assert.InRange(report.TraceIds[TraceClass.Slow].Count / (double)traces, 0.18 - Tolerance(0.18, traces), 0.18 + Tolerance(0.18, traces));

        // and the open-model schedule was kept: the last trace started no earlier than its slot ((n-1)/rate)
        Assert.True(report.GenerationElapsed >= TimeSpan.FromSeconds((traces - 1) / rate), $"{report.GenerationElapsed}");

        // and the accounting is exact: every generated span sent and received, every trace id and every error trace at the sink
        Assert.Equal(traces * 4L, report.SpansGenerated);
        Assert.True(report.Balanced && report.SpansFailed == 0 && report.SpansDropped == 0, string.Join(", ", report.FailureReasons));
        Assert.Equal(report.SpansSent, sink.SpansReceived);
        Assert.Equal(report.TraceIds.Values.SelectMany(v => v).Order(StringComparer.Ordinal), sink.TraceIds.Order(StringComparer.Ordinal));
        Assert.Equal(report.TraceIds[TraceClass.Error].Order(StringComparer.Ordinal), sink.ErrorTraceIds.Order(StringComparer.Ordinal));

        // and spans arrived from the services' pod addresses, span k from service k mod 3 (4 spans: 2, 1, 1)
        Assert.Equal(
            new Dictionary<IPAddress, long> { [TestAddressSlot.Pod(0, 200, 1)] = traces * 2L, [TestAddressSlot.Pod(0, 200, 2)] = traces, [TestAddressSlot.Pod(0, 200, 3)] = traces },
            sink.SpansBySource);
        TestContext.Current.SendDiagnosticMessage($"{protocol}: {report.TracesPerSecond:0} traces/s, lag {report.ScheduleLag}, export {report.ExportLatency}");
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_refused_endpoint_is_counted_per_span_and_reason_without_throwing()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given no listener at the agent address (an agent DaemonSet without hostPort)
        var load = new TraceLoad(new TraceLoadOptions { Services = Services(14399), TracesPerSecond = 500, SpansPerTrace = 3 });

        // When 100 traces are sent
        var report = await load.RunAsync(100, TestContext.Current.CancellationToken);

        // Then nothing was sent, every span is counted as failed with the reason, and nothing is unaccounted for
        Assert.Equal(0, report.SpansSent);
        Assert.Equal(300, report.SpansFailed);
        Assert.True(report.Balanced);
        Assert.Equal(["connect ConnectionRefused"], report.FailureReasons.Keys);
        Assert.Equal(report.FailedExports, report.FailureReasons["connect ConnectionRefused"]);
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task On_the_system_clock_the_wait_for_a_slot_under_a_millisecond_away_is_a_millisecond_not_a_spin()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given 700 traces/s, a slot every 1.43 ms, on a clock that counts its reads (no listener: nothing to wait on but the schedule)
        var clock = new CountingSystemClock();
        const int traces = 150;
        const double rate = 700;
        var load = new TraceLoad(new TraceLoadOptions { Services = Services(14398), TracesPerSecond = rate, SpansPerTrace = 1, TimeProvider = clock });

        // When 150 traces are sent
        var report = await load.RunAsync(traces, TestContext.Current.CancellationToken);

        // Then no trace started before its slot, and the load read the clock a few times per trace: Task.Delay drops a
        // wait's fraction of a millisecond (0.6 ms ends at once), so an unrounded wait for a slot under a millisecond away
        // loops reading the clock until the slot comes (thousands of reads)
        Assert.True(report.GenerationElapsed >= TimeSpan.FromSeconds((traces - 1) / rate), $"{report.GenerationElapsed}");
        Assert.True(clock.TimestampReads <= 10 * traces, $"{clock.TimestampReads} clock reads for {traces} traces");
    }
}
