using System.Collections.Concurrent;
using System.Net;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using OtelLab.Load.Requests;
using OtelLab.Model.Manifests;
using OtelLab.Sim.Cluster;
using OtelLab.Sim.Kubelet;
using OtelLab.Sim.Networking;
using OtelLab.Sim.Operator;
using OtelLab.Tests.Sim;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Load;

[Collection(nameof(SimulatedNetworkCollection))]
[Trait("Category", "Lab")]
public sealed class HttpLoadDriverTests
{
    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task Sends_every_request_from_the_source_address_and_counts_answers_by_status()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a service on a pod address that fails every third request, as ERROR_RATIO would
        var ct = TestContext.Current.CancellationToken;
        var sources = new ConcurrentBag<IPAddress>();
        var count = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(TestAddressSlot.Pod(0, 201, 1), 18080));
        await using var app = builder.Build();
        app.MapPost("/checkout", (HttpContext c) =>
        {
            sources.Add(c.Connection.RemoteIpAddress!);
            return Interlocked.Increment(ref count) % 3 == 0 ? Results.StatusCode(500) : Results.Ok();
        });
        await app.StartAsync(ct);

        // When the driver sends 60 requests at 200/s from a client pod's address
        var driver = new HttpLoadDriver(new HttpLoadOptions { Url = new Uri($"http://{TestAddressSlot.Pod(0, 201, 1)}:18080/checkout"), RequestsPerSecond = 200, SourceAddress = TestAddressSlot.Pod(0, 201, 2) });
        var report = await driver.RunAsync(60, ct);

        // Then every request got an answer, counted by status, each from the client pod's address
        Assert.Equal(60, report.Requests);
        Assert.Empty(report.Failures);
        Assert.Equal(new Dictionary<int, long> { [200] = 40, [500] = 20 }, report.ByStatus);
        Assert.Equal(60, report.Latency.Count);
        Assert.All(sources, s => Assert.Equal(TestAddressSlot.Pod(0, 201, 2), s.IsIPv4MappedToIPv6 ? s.MapToIPv4() : s));
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task A_request_due_between_milliseconds_goes_at_its_slot_or_within_a_millisecond_after_never_before()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given a service that notes the lab time each request arrives, and a driver at 300/s (a slot every 10/3 ms) on a
        // manual clock; the runtime's timers count whole milliseconds, so a wait of 3.33 ms handed to Task.Delay as it
        // is fires at 3 ms
        var ct = TestContext.Current.CancellationToken;
        var clock = new ManualTimeProvider();
        var t0 = clock.GetUtcNow();
        var arrivals = new ConcurrentQueue<TimeSpan>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(TestAddressSlot.Pod(0, 201, 1), 18081));
        await using var app = builder.Build();
        app.MapPost("/checkout", () =>
        {
            arrivals.Enqueue(clock.GetUtcNow() - t0);
            return Results.Ok();
        });
        await app.StartAsync(ct);
        const int requests = 20;
        const double rate = 300;
        var driver = new HttpLoadDriver(new HttpLoadOptions { Url = new Uri($"http://{TestAddressSlot.Pod(0, 201, 1)}:18081/checkout"), RequestsPerSecond = rate, SourceAddress = TestAddressSlot.Pod(0, 201, 2), TimeProvider = clock });

        // When the clock moves to each wait the driver arms, once every request sent so far has arrived (so that each
        // arrival is stamped at the instant it was sent)
        var running = Task.Run(() => driver.RunAsync(requests, ct), ct);
        var sent = 1;
        while (!running.IsCompleted)
        {
            Assert.True(await Eventually.WaitAsync(() => running.IsCompleted || (clock.PendingTimers > 0 && arrivals.Count == sent), TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(1), ct), $"{arrivals.Count} of {sent} requests arrived");
            if (clock.NextTimerDue is { } due)
            {
                clock.Advance(due - clock.GetUtcNow());
                sent++;
            }
        }

        var report = await running.WaitAsync(TimeSpan.FromSeconds(30), ct);

        // Then request i went at i × 10/3 ms or up to a millisecond later (the wait rounded up), never earlier
        Assert.Equal(requests, report.Requests);
        Assert.Empty(report.Failures);
        var order = arrivals.Order().ToList();
        Assert.Equal(requests, order.Count);
        for (var i = 0; i < requests; i++)
        {
            var slot = TimeSpan.FromTicks((long)(i * TimeSpan.TicksPerSecond / rate));
            Assert.True(order[i] >= slot && order[i] < slot + TimeSpan.FromMilliseconds(1), $"request {i} due at {slot.TotalMilliseconds:0.000} ms went at {order[i].TotalMilliseconds:0.000} ms");
        }
    }

    [Fact(Timeout = LabTestTimeout.Milliseconds)]
    public async Task The_knobs_roll_out_to_checkouts_pod_env()
    {
        if (!LoopbackSupport.Probe().Supported)
        {
            Assert.Skip(LoopbackSupport.Probe().Problem!);
        }

        // Given payments-fixed on the cluster (idle stand-ins: only the env matters here)
        var ct = TestContext.Current.CancellationToken;
        var cluster = SimFixtures.NewCluster(nodes: 3);
        OpenTelemetryOperator.Install(cluster);
        await using var agents = NodeAgents.Start(cluster, new KubeletOptions { Environment = new KubeletEnvironment(cluster) });
        await cluster.ApplyAsync(ManifestLoader.Load([Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests")]), ct);

        // When checkout's knobs are set to 50% errors and 600 ms added latency
        var deployment = cluster.Get<V1Deployment>("payments", "checkout")!;
        cluster.Update(SampleServiceKnobs.With(deployment, 0.5, 600));

        // Then the rollout's pod runs with the knobs in its resolved env (kept with the injected agent env)
        bool Rolled(SimulatedCluster c) => c.List<V1Pod>("payments", LabelSelector.Parse("app=checkout"))
            .Any(p => p.Metadata.DeletionTimestamp is null && p.Spec.Containers[0].Env?.Any(e => e.Name == "ERROR_RATIO" && e.Value == "0.5") == true);
        Assert.True(await cluster.WaitUntilAsync(Rolled, TimeSpan.FromSeconds(30), ct));
        var pod = cluster.List<V1Pod>("payments", LabelSelector.Parse("app=checkout")).First(p => p.Spec.Containers[0].Env.Any(e => e.Name == "ERROR_RATIO"));
        var env = new KubeletEnvironment(cluster).Resolve(pod, pod.Spec.Containers[0]).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(("0.5", "600"), (env["ERROR_RATIO"], env["ADDED_LATENCY_MS"]));
        Assert.Contains("JAVA_TOOL_OPTIONS", env.Keys);
    }
}
