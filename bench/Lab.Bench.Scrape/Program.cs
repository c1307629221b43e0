using System.Diagnostics;
using System.Globalization;
using OtelLab.Scenarios;
using OtelLab.Scenarios.Definition;

// The scrape path end to end, all figures from one run side by side: the bundled payments-fixed lab (TA, three
// prometheus replicas, the gateways, both mock backends, no trace load) without the farm as the baseline, then with
// the farm at 300 / 1,500 / 3,000 scrapes per second (9,000 targets every 30 s of lab time at timeScale 1 / 5 / 10).
// Per case: the first scrape round of every target (wall time from start, and the CPU per scrape from the end of
// start-up to the round's end: a first scrape opens a connection and adds series everywhere), the scrapes the farm answered per second
// over the window, the process's cores (user+system CPU over the window), CPU-ms per scrape above the baseline, RSS;
// then the live views' sample at that size; with --scenarios, the wall time of `test` per bundled scenario (the AppHost
// built in Release).
// Usage: dotnet run -c Release --project bench/Lab.Bench.Scrape -- [window-seconds=20] [targets=9000] [--scales 1,5,10] [--scenarios]
var positional = args.TakeWhile(a => !a.StartsWith('-')).ToArray();
var window = TimeSpan.FromSeconds(positional.Length > 0 ? double.Parse(positional[0], CultureInfo.InvariantCulture) : 20);
var targets = positional.Length > 1 ? int.Parse(positional[1], CultureInfo.InvariantCulture) : 9_000;
var scalesAt = Array.IndexOf(args, "--scales");
double[] scales = [1.0, 5.0, 10.0];
if (scalesAt >= 0)
{
    var given = scalesAt + 1 < args.Length ? args[scalesAt + 1].Split(',') : [];
    var parsed = given.Select(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : (double?)null).ToArray();
    if (parsed.Length == 0 || parsed.Any(v => v is null))
    {
        Console.Error.WriteLine("--scales takes a comma-separated list of positive timeScales, e.g. --scales 1,5,10");
        return 2;
    }

    scales = [.. parsed.Select(v => v!.Value)];
}

var root = RepoRoot();
var inv = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(inv, $"scrape path benchmark: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, load average {LoadAverage()} at start; window {window.TotalSeconds:0} s per case"));
Console.WriteLine("(wall-clock and CPU figures; other work on the machine inflates them: compare rows of one run, not runs)");
Console.WriteLine();
// The bare scrape the lab's budget is measured in (ScrapeBudget: the calibration's 1.5 s window, at process start as
// in the lab): the last column divides each case's CPU per scrape by it, which is the budget's PipelineCostFactor.
var fixedScenario = ScenarioLoader.Load(Path.Combine(root, "scenarios", "payments-fixed"));
var calibration = await ScrapeCalibration.MeasureAsync(new OtelLab.Load.TargetFarm.TargetShape(fixedScenario.Targets.MetricsPerTarget, fixedScenario.Targets.SeriesPerMetric));
Console.WriteLine(string.Create(inv, $"calibration (as the lab measures at start): {calibration.ScrapesPerSecond:N0} bare scrapes/s, {calibration.CpuPerScrape.TotalMilliseconds:0.000} ms CPU each"));
Console.WriteLine();
Console.WriteLine($"{"case",-28} {"ready s",8} {"round s",8} {"round ms",9} {"scrapes/s",10} {"cores",6} {"ms/scrape",10} {"× bare",7} {"RSS MB",7}");

var baseline = await MeasureAsync("no farm (baseline)", 0, 1);
Print(baseline, null);
foreach (var scale in scales)
{
    var offered = targets * scale / 30;
    var result = await MeasureAsync(string.Create(inv, $"{targets:N0} targets ×{scale:0} ({offered:N0}/s)"), targets, scale);
    Print(result, baseline);
}

if (args.Contains("--scenarios"))
{
    Console.WriteLine();
    Console.WriteLine($"{"scenario",-28} {"test wall s",12} {"exit",5}");
    var appHost = Path.Combine(root, "AppHost", "bin", "Release", "net10.0", "otel-lab.dll");
    if (!File.Exists(appHost))
    {
        Console.WriteLine($"(skipped: build the AppHost first: dotnet build -c Release AppHost; {appHost} is missing)");
        return 0;
    }

    foreach (var dir in Directory.GetDirectories(Path.Combine(root, "scenarios")).Where(d => File.Exists(Path.Combine(d, "scenario.yaml"))).Order(StringComparer.Ordinal))
    {
        var name = Path.GetFileName(dir);
        var out_ = Path.Combine(Path.GetTempPath(), "otel-lab-bench-" + name);
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { appHost, "test", "--scenario", name, "--out", out_ })
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        await drain;
        Console.WriteLine(string.Create(inv, $"{name,-28} {clock.Elapsed.TotalSeconds,12:0.0} {process.ExitCode,5}"));
    }
}

return 0;

async Task<Result> MeasureAsync(string name, int count, double scale)
{
    var scenario = ScenarioLoader.Load(Path.Combine(root, "scenarios", "payments-fixed"));
    scenario = scenario with
    {
        TimeScale = scale,
        Targets = scenario.Targets with { Count = count },
        Load = scenario.Load with { RatePerSecond = 0 },
    };
    await using var lab = SimLab.Create(SimLabOptions.ForScenario(scenario, sampleServicesDirectory: null) with { ReadyTimeout = TimeSpan.FromMinutes(3) });
    if (!await lab.StartAsync(CancellationToken.None))
    {
        throw new InvalidOperationException($"{name}: the lab did not start");
    }

    TimeSpan? round = null;
    double? firstRoundMs = null;
    if (count > 0)
    {
        // The first round's cost: the process's CPU from the end of start-up to the round's end, per scrape served in it.
        using var self = Process.GetCurrentProcess();
        var (cpuAtReady, servedAtReady) = (self.TotalProcessorTime, lab.FarmScrapesServed);
        var finished = await Task.WhenAny(lab.FirstScrapeRound, Task.Delay(TimeSpan.FromMinutes(2)));
        round = finished == lab.FirstScrapeRound ? lab.FirstScrapeRound.Result : null;
        self.Refresh();
        var served = lab.FarmScrapesServed - servedAtReady;
        firstRoundMs = served > 0 ? (self.TotalProcessorTime - cpuAtReady).TotalMilliseconds / served : null;
    }
    else
    {
        // Without a farm, let the start-up work settle before the window as the farm cases do after their round.
        await Task.Delay(TimeSpan.FromSeconds(5));
    }

    var me = Process.GetCurrentProcess();
    me.Refresh();
    var cpu0 = me.TotalProcessorTime;
    var scrapes0 = lab.FarmScrapesServed;
    var (allocated0, workItems0, switches0) = (GC.GetTotalAllocatedBytes(), ThreadPool.CompletedWorkItemCount, ContextSwitches());
    var (gen0, gen1, gen2, paused0) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
    using var allocations = count > 0 && args.Contains("--allocations") ? new AllocationSampler() : null;
    var clock = Stopwatch.StartNew();
    await Task.Delay(window);
    allocations?.Print(lab.FarmScrapesServed - scrapes0);
    me.Refresh();
    var seconds = clock.Elapsed.TotalSeconds;
    var cores = (me.TotalProcessorTime - cpu0).TotalSeconds / seconds;
    var rates = new Rates(
        (GC.GetTotalAllocatedBytes() - allocated0) / seconds,
        (ThreadPool.CompletedWorkItemCount - workItems0) / seconds,
        (ContextSwitches() - switches0) / seconds,
        new Collections(GC.CollectionCount(0) - gen0, GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, (GC.GetTotalPauseDuration() - paused0) / seconds));
    var scrapesPerSecond = (lab.FarmScrapesServed - scrapes0) / clock.Elapsed.TotalSeconds;
    var rss = me.WorkingSet64 / (1024.0 * 1024);
    var (monitorFirst, monitorNext) = count > 0 ? SampleLiveViews(lab) : (null, null);
    return new Result(name, lab.StartupTime, round, scrapesPerSecond, cores, rss, rates, firstRoundMs, monitorFirst, monitorNext);
}

// What the live views' sampler (LabMonitor, once a second in `up` for the dashboard and the lab page) costs with every
// farm pod in the cluster: a sample that walks every pod (as each one does while the cluster changes, e.g. during a
// start-up), then samples at an unchanged cluster, which reuse that walk. A first sampler is thrown away so that
// the process's first call of everything a sample touches is not counted as the walk.
static (double? First, double? Next) SampleLiveViews(SimLab lab)
{
    new OtelLab.Scenarios.Monitoring.LabMonitor(lab).Sample();
    var monitor = new OtelLab.Scenarios.Monitoring.LabMonitor(lab);
    var clock = Stopwatch.StartNew();
    monitor.Sample();
    var first = clock.Elapsed.TotalMilliseconds;
    const int Next = 10;
    clock.Restart();
    for (var i = 0; i < Next; i++)
    {
        monitor.Sample();
    }

    return (first, clock.Elapsed.TotalMilliseconds / Next);
}

void Print(Result r, Result? baselineResult)
{
    double? ms = baselineResult is { } b && r.ScrapesPerSecond > 0 ? (r.Cores - b.Cores) * 1000 / r.ScrapesPerSecond : null;
    var perScrape = ms?.ToString("0.000", inv) ?? "-";
    var ratio = ms is { } m && calibration.CpuPerScrape > TimeSpan.Zero ? (m / calibration.CpuPerScrape.TotalMilliseconds).ToString("0.0", inv) : "-";
    Console.WriteLine(string.Create(inv,
        $"{r.Name,-28} {r.Ready?.TotalSeconds,8:0.00} {(r.Round is { } x ? x.TotalSeconds.ToString("0.00", inv) : r.Name.Contains("baseline", StringComparison.Ordinal) ? "-" : "never"),8} {r.FirstRoundMs?.ToString("0.000", inv) ?? "-",9} {r.ScrapesPerSecond,10:N0} {r.Cores,6:0.00} {perScrape,10} {ratio,7} {r.RssMegabytes,7:N0}"));
    if (baselineResult is { } bl && r.ScrapesPerSecond > 0)
    {
        // The same subtraction as the CPU column: what each scrape adds to the lab without a farm.
        var kb = (r.Rates.AllocatedBytes - bl.Rates.AllocatedBytes) / 1024 / r.ScrapesPerSecond;
        var items = (r.Rates.WorkItems - bl.Rates.WorkItems) / r.ScrapesPerSecond;
        var switches = (r.Rates.ContextSwitches - bl.Rates.ContextSwitches) / r.ScrapesPerSecond;
        Console.WriteLine(string.Create(inv, $"{"",-28} per scrape above the baseline: {kb:0.0} KB allocated, {items:0.00} thread-pool work items, {switches:0.00} context switches"));
        var gc = r.Rates.Collections;
        Console.WriteLine(string.Create(inv, $"{"",-28} collections in the window: {gc.Gen0} gen0, {gc.Gen1} gen1, {gc.Gen2} gen2; paused {gc.PausedPerSecond.TotalMilliseconds / 10:0.00} % of wall time"));
    }

    if (r.MonitorFirstMs is { } first && r.MonitorNextMs is { } next)
    {
        Console.WriteLine(string.Create(inv, $"{"",-28} live views' sample (wall, warm): {first:0.0} ms walking every pod, then {next:0.00} ms each at an unchanged cluster"));
    }
}

static string RepoRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from within the repository (Lab.sln not found above " + AppContext.BaseDirectory + ")");
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

// The process's context switches so far, voluntary and not, summed over its threads (/proc/self/task/*/status): each is
// a thread that blocked or was put off its core, the kernel's share of a wake.
static long ContextSwitches()
{
    long total = 0;
    try
    {
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal) || line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        total += long.Parse(line.AsSpan(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
                    }
                }
            }
            catch (IOException)
            {
                // The thread ended while being read; its switches are gone with it.
            }
        }
    }
    catch (DirectoryNotFoundException)
    {
        return 0;
    }

    return total;
}

// Per wall second over a case's window: bytes the process allocated, thread-pool work items completed, context switches.
internal sealed record Rates(double AllocatedBytes, double WorkItems, double ContextSwitches, Collections Collections);

// The window's garbage collections by generation (a gen1 collection counts as gen0 too, as GC.CollectionCount does) and
// the share of wall time the process was paused for them.
internal sealed record Collections(int Gen0, int Gen1, int Gen2, TimeSpan PausedPerSecond);

internal sealed record Result(string Name, TimeSpan? Ready, TimeSpan? Round, double ScrapesPerSecond, double Cores, double RssMegabytes, Rates Rates, double? FirstRoundMs = null, double? MonitorFirstMs = null, double? MonitorNextMs = null);
