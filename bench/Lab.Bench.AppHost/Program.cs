using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

// The AppHost's start-up and shutdown budgets, measured side by side in one run on real `otel-lab up` processes
// (the built AppHost, as `dotnet run --project AppHost` starts it once built): from the process start to every
// resource healthy ("Lab ready … every resource healthy N s after the AppHost process started"), with the Aspire
// dashboard and headless, and from SIGTERM to the process gone. Usage: [runs] [scenario] (default 3 payments-fixed).
// Run it in a private network namespace when another lab may be up: unshare -n sh -c 'ip link set lo up && dotnet run -c Release --project bench/Lab.Bench.AppHost'
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var scenario = args.Length > 1 ? args[1] : "payments-fixed";
var root = FindRoot();
var dll = Directory.GetFiles(Path.Combine(root, "AppHost", "bin"), "otel-lab.dll", SearchOption.AllDirectories)
    .OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
    ?? throw new InvalidOperationException("build the AppHost first: dotnet build AppHost");
Console.WriteLine($"otel-lab: {dll}; scenario {scenario}; {runs} run(s) each; {Environment.ProcessorCount} cores");
Console.WriteLine("mode        healthy after process start (s)   lab ready (s)   SIGTERM to exit (s)");
var results = new Dictionary<string, List<(double Healthy, double Ready, double Exit)>>();
foreach (var (mode, port) in new[] { ("dashboard", "0"), ("headless", "-1") })
{
    results[mode] = [];
    for (var i = 0; i < runs; i++)
    {
        var r = await RunAsync(dll, root, scenario, port);
        results[mode].Add(r);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{mode,-11} {r.Healthy,32:0.00} {r.Ready,15:0.00} {r.Exit,21:0.00}"));
    }
}

double Median(IEnumerable<double> xs) => xs.Order().ElementAt(xs.Count() / 2);
var d = results["dashboard"];
var h = results["headless"];
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median healthy: dashboard {Median(d.Select(x => x.Healthy)):0.00} s (budget 8 s), headless {Median(h.Select(x => x.Healthy)):0.00} s (budget 5 s); ratio dashboard/headless {Median(d.Select(x => x.Healthy)) / Median(h.Select(x => x.Healthy)):0.00}"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median SIGTERM to exit: dashboard {Median(d.Select(x => x.Exit)):0.00} s, headless {Median(h.Select(x => x.Exit)):0.00} s (budget 10 s)"));

static async Task<(double Healthy, double Ready, double Exit)> RunAsync(string dll, string root, string scenario, string port)
{
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
    foreach (var a in new[] { dll, "up", "--scenario", scenario, "--port", port })
    {
        info.ArgumentList.Add(a);
    }

    using var process = Process.Start(info)!;
    var ready = new TaskCompletionSource<(double, double)>(TaskCreationOptions.RunContinuationsAsynchronously);
    process.OutputDataReceived += (_, e) =>
    {
        if (e.Data is { } line && Regex.Match(line, @"Lab ready in ([\d.]+) s .* every resource healthy ([\d.]+) s after") is { Success: true } m)
        {
            ready.TrySetResult((double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)));
        }
    };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    var (healthy, labReady) = await ready.Task.WaitAsync(TimeSpan.FromMinutes(2));
    var stop = Stopwatch.StartNew();
    Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)])!.WaitForExit();
    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
    return (healthy, labReady, stop.Elapsed.TotalSeconds);
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Lab.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("run from the repository");
}
