using System.Diagnostics;
using System.Globalization;
using OtelLab.Load.Scraping;
using OtelLab.Load.TargetFarm;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

// Target allocation benchmark, all figures from one run side by side:
//  1. allocation time per strategy for 9k/10k/100k targets over 3/100/1000 collectors: a fresh assignment, upstream's
//     Benchmark_Setting loop (SetCollectors + SetTargets with unchanged sets, allocator_test.go), and a +1 rescale;
//  2. the target farm: time to bind N listeners, to serve one full scrape round, and to allocate the farm's targets;
//  3. scrape throughput of the farm with the simple in-process scraper.
// Usage: dotnet run -c Release --project bench/Lab.Bench.Allocation -- [farmTargets=9000] [concurrency=64] [port=0]
var farmTargets = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 9_000;
var concurrency = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var port = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 0;
Console.WriteLine($"target allocation benchmark: {Environment.ProcessorCount} cores, {RuntimeInfo()}, load average {LoadAverage()} (wall-clock figures; other work on the machine inflates them)");
Console.WriteLine("upstream anchors (Go Benchmark_Setting, maintainers' laptops): consistent-hashing 10k targets × 100 collectors ≈ 0.7 ms, 100k × 1000 ≈ 8.7 ms; 100k targets ≈ 149 MiB");
Console.WriteLine();

// 1. Allocation.
Console.WriteLine($"{"strategy",-19} {"targets",8} {"colls",5} {"fresh ms",9} {"setting ms",11} {"rescale+1 ms",13} {"max/min per coll",17}");
(int Targets, int Collectors)[] cases = [(9_000, 3), (9_000, 100), (10_000, 100), (100_000, 3), (100_000, 100), (100_000, 1_000)];
foreach (var strategy in AllocationStrategies.Names)
{
    foreach (var (targets, collectors) in cases)
    {
        if (strategy == AllocationStrategies.LeastWeighted && collectors >= 1_000)
        {
            // least-weighted scans every collector per target (as upstream): 100k × 1000 takes tens of seconds here.
            Console.WriteLine($"{strategy,-19} {targets,8:N0} {collectors,5:N0} {"skipped: O(targets × collectors), tens of seconds",-40}");
            continue;
        }

        var items = MakeTargets(targets, collectors);
        var replicas = MakeCollectors(collectors);
        var fresh = Median(3, () =>
        {
            var a = new Allocator(AllocationStrategies.Create(strategy));
            return Time(() =>
            {
                a.SetCollectors(replicas);
                a.SetTargets(items);
            });
        });
        var allocator = new Allocator(AllocationStrategies.Create(strategy));
        allocator.SetCollectors(replicas);
        allocator.SetTargets(items);
        var iterations = targets >= 100_000 ? 5 : 20;
        var setting = Median(iterations, () => Time(() =>
        {
            allocator.SetCollectors(replicas);
            allocator.SetTargets(items);
        }));
        var counts = allocator.Collectors().Values.Select(c => c.NumTargets).ToList();
        var spread = counts.Min() == 0 ? "∞ (idle collector)" : (counts.Max() / (double)counts.Min()).ToString("0.00", CultureInfo.InvariantCulture);
        var rescale = Time(() => allocator.SetCollectors(MakeCollectors(collectors + 1)));
        Console.WriteLine($"{strategy,-19} {targets,8:N0} {collectors,5:N0} {fresh,9:0.00} {setting,11:0.000} {rescale,13:0.00} {spread,17}");
    }
}

GC.Collect();
var before = GC.GetTotalMemory(forceFullCollection: true);
var held = new Allocator(AllocationStrategies.Create(AllocationStrategies.ConsistentHashing));
held.SetCollectors(MakeCollectors(100));
held.SetTargets(MakeTargets(100_000, 100));
var heldBytes = GC.GetTotalMemory(forceFullCollection: true) - before;
Console.WriteLine($"memory: 100,000 allocated targets (labels, index) hold {heldBytes / 1048576.0:0.0} MiB of managed heap (upstream ≈ 149 MiB for the whole TA process)");
GC.KeepAlive(held);
Console.WriteLine();

// 2. The farm.
var shape = new TargetShape(10, 10, 3);
await using var farm = TargetFarm.Start(new TargetFarmOptions { Count = farmTargets, Port = port, Shape = shape });
Console.WriteLine($"farm: {farmTargets:N0} targets × {shape.SeriesPerTarget} series ({shape.MetricCount} metrics × {shape.SeriesCount} series × {shape.LabelCount} labels), {farm.ResponseBytes:N0} B per scrape");
Console.WriteLine($"  bind {farmTargets:N0} listeners on 127.64.x.y: {farm.StartupTime.TotalMilliseconds:0} ms; open descriptors now {OpenDescriptors()} (limit {OpenFileLimit()}); working set {Environment.WorkingSet / 1048576.0:0} MiB");
var scraper = new SimpleScraper();
var firstRound = await scraper.ScrapeAllAsync(farm.Endpoints, concurrency);
Console.WriteLine($"  first full scrape round: {firstRound.Succeeded:N0}/{firstRound.Targets:N0} up in {firstRound.Elapsed.TotalMilliseconds:0} ms");
var config = new ScrapeConfig { JobName = "farm" };
var groups = new[] { new TargetGroup("farm", [.. farm.Endpoints.Select((e, i) => LabelSet.From((Label.Address, e.ToString()), ("__meta_kubernetes_pod_node_name", $"node-{i % 3}")))]) };
var taStarted = Stopwatch.GetTimestamp();
var farmItems = TargetAllocator.ProcessTargetGroups(new Dictionary<string, ScrapeConfig> { ["farm"] = config }, groups);
var farmAllocator = new Allocator(AllocationStrategies.Create(AllocationStrategies.ConsistentHashing));
farmAllocator.SetCollectors(MakeCollectors(3));
farmAllocator.SetTargets(farmItems);
var taMs = Stopwatch.GetElapsedTime(taStarted).TotalMilliseconds;
var total = farm.StartupTime.TotalMilliseconds + firstRound.Elapsed.TotalMilliseconds + taMs;
Console.WriteLine($"  discover + allocate the farm's {farmItems.Count:N0} targets over 3 collectors: {taMs:0.0} ms; bind + serve + allocate: {total:0} ms");

// 3. Throughput.
var rounds = 3;
var sustained = Stopwatch.GetTimestamp();
long samples = 0, bytes = 0, ok = 0;
for (var r = 0; r < rounds; r++)
{
    var round = await scraper.ScrapeAllAsync(farm.Endpoints, concurrency);
    samples += round.Samples;
    bytes += round.Bytes;
    ok += round.Succeeded;
}

var seconds = Stopwatch.GetElapsedTime(sustained).TotalSeconds;
Console.WriteLine($"scrape throughput ({rounds} rounds, {concurrency} in flight, scraper and farm in one process): {ok / seconds:N0} scrapes/s, {samples / seconds:N0} samples/s, {bytes / seconds / 1048576.0:0.0} MiB/s; {farm.Errors} farm errors");
Console.WriteLine($"  load average at the end: {LoadAverage()}");
Console.WriteLine($"  at a 30 s scrape interval that is {ok / seconds * 30:N0} targets per scraper core-budget-equivalent ({Environment.ProcessorCount} cores shared by farm and scraper)");

static IReadOnlyList<TargetItem> MakeTargets(int count, int nodes) => [.. Enumerable.Range(0, count).Select(i => TargetItem.Create($"job-{i % 10}", LabelSet.From(
    (Label.Address, $"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}:9100"),
    ("__meta_kubernetes_pod_node_name", $"node-{i % nodes}"),
    ("__meta_kubernetes_namespace", "load"))))];

static List<CollectorReplica> MakeCollectors(int count) => [.. Enumerable.Range(0, count).Select(i => new CollectorReplica($"collector-{i}", $"node-{i}"))];

static double Time(Action action)
{
    var started = Stopwatch.GetTimestamp();
    action();
    return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}

static double Median(int runs, Func<double> measure)
{
    var values = Enumerable.Range(0, runs).Select(_ => measure()).Order().ToList();
    return values[values.Count / 2];
}

static int OpenDescriptors() => Directory.Exists("/proc/self/fd") ? Directory.GetFiles("/proc/self/fd").Length : -1;

static string OpenFileLimit() => File.Exists("/proc/self/limits")
    ? File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[3]
    : "unknown";

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";

static string RuntimeInfo() => $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {(Debugger.IsAttached ? "debugger" : "no debugger")}";
