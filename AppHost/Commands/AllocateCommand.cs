using System.CommandLine;
using System.Globalization;
using OtelLab.Sim.Relabeling;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>allocate</c>: which collector the target allocator gives each target, and what moves when the collector set
/// changes — computed by the same port of the upstream strategies the sim runs.
/// </summary>
internal static class AllocateCommand
{
    /// <summary>Where <c>--targets -</c> reads from; tests replace it.</summary>
    internal static TextReader StandardInput { get; set; } = Console.In;

    public static Command Create(TextWriter stdout, TextWriter stderr)
    {
        var strategy = new Option<string>("--strategy")
        {
            Description = $"Allocation strategy: {string.Join(", ", AllocationStrategies.Names)}.",
            DefaultValueFactory = _ => AllocationStrategies.ConsistentHashing,
        };
        var collectors = new Option<string>("--collectors")
        {
            Description = "Comma-separated collector pod names; name@node sets the node for per-node.",
            Required = true,
        };
        var targets = new Option<string>("--targets")
        {
            Description = "File with one target address per line (address[,node]); - reads stdin; blank lines and # comments are skipped.",
            Required = true,
        };
        var compare = new Option<string?>("--compare-collectors")
        {
            Description = "A second collector set: print the targets that move (target,from,to) and a summary on stderr.",
        };
        var job = new Option<string>("--job")
        {
            Description = "Job name of the targets (least-weighted breaks ties per job).",
            DefaultValueFactory = _ => "allocate",
        };
        var command = new Command("allocate", "Show how the target allocator assigns targets to collectors, and what moves on rescale.")
        {
            strategy, collectors, targets, compare, job,
        };
        command.SetAction((parse, ct) => RunAsync(
            new Request(parse.GetValue(strategy)!, parse.GetValue(collectors)!, parse.GetValue(targets)!, parse.GetValue(compare), parse.GetValue(job)!),
            stdout, stderr, ct));
        return command;
    }

    private sealed record Request(string Strategy, string Collectors, string Targets, string? CompareCollectors, string Job);

    private sealed record TargetLine(string Address, string Node);

    private static async Task<int> RunAsync(Request request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        if (!AllocationStrategies.Names.Contains(request.Strategy))
        {
            await stderr.WriteLineAsync($"error: unknown strategy '{request.Strategy}'. Allowed: {string.Join(", ", AllocationStrategies.Names)}.").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        var first = ParseCollectors(request.Collectors);
        var second = request.CompareCollectors is null ? null : ParseCollectors(request.CompareCollectors);
        if (first.Count == 0 || second is { Count: 0 })
        {
            var option = first.Count == 0 ? "--collectors" : "--compare-collectors";
            await stderr.WriteLineAsync($"error: {option} names no collector. Give pod names, e.g. {option} otel-collector-0,otel-collector-1").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        List<TargetLine> lines;
        try
        {
            lines = await ReadTargetsAsync(request.Targets, cancellationToken).ConfigureAwait(false);
        }
        catch (FileNotFoundException)
        {
            await stderr.WriteLineAsync($"error: targets file '{request.Targets}' not found. Pass a file with one target address per line, or - to read stdin.").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }
        catch (DirectoryNotFoundException)
        {
            await stderr.WriteLineAsync($"error: targets file '{request.Targets}' not found (its directory does not exist).").ConfigureAwait(false);
            return LabCli.ExitUsage;
        }

        var items = lines.Select(l => TargetItem.Create(request.Job, l.Node.Length == 0
            ? LabelSet.From((Label.Address, l.Address))
            : LabelSet.From((Label.Address, l.Address), ("__meta_kubernetes_pod_node_name", l.Node)))).ToList();
        var allocator = new Allocator(AllocationStrategies.Create(request.Strategy));
        allocator.SetCollectors(first);
        allocator.SetTargets(items);
        var before = allocator.Assignments();
        await ReportUnassignedAsync(allocator, stderr).ConfigureAwait(false);
        if (second is null)
        {
            await stdout.WriteLineAsync("target,collector").ConfigureAwait(false);
            foreach (var item in items)
            {
                await stdout.WriteLineAsync($"{Csv(item.TargetUrl)},{Csv(before[item.Hash])}").ConfigureAwait(false);
            }

            return 0;
        }

        allocator.SetCollectors(second);
        var after = allocator.Assignments();
        await ReportUnassignedAsync(allocator, stderr).ConfigureAwait(false);
        await stdout.WriteLineAsync("target,from,to").ConfigureAwait(false);
        var moved = new HashSet<ulong>();
        foreach (var item in items)
        {
            if (before[item.Hash] != after[item.Hash] && moved.Add(item.Hash))
            {
                await stdout.WriteLineAsync($"{Csv(item.TargetUrl)},{Csv(before[item.Hash])},{Csv(after[item.Hash])}").ConfigureAwait(false);
            }
        }

        var total = before.Count;
        var percent = total == 0 ? 0 : 100.0 * moved.Count / total;
        await stderr.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{moved.Count} of {total} targets moved ({percent:0.0}%) going from {first.Count} to {second.Count} collectors with {request.Strategy}.")).ConfigureAwait(false);
        return 0;
    }

    private static List<CollectorReplica> ParseCollectors(string list) => [.. list
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(entry => entry.Split('@', 2))
        .Select(parts => new CollectorReplica(parts[0], parts.Length > 1 ? parts[1] : ""))
        .DistinctBy(c => c.Name)];

    private static async Task<List<TargetLine>> ReadTargetsAsync(string path, CancellationToken cancellationToken)
    {
        var text = path == "-"
            ? await StandardInput.ReadToEndAsync(cancellationToken).ConfigureAwait(false)
            : await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false);
        var lines = new List<TargetLine>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var parts = line.Split(',', 2, StringSplitOptions.TrimEntries);
            lines.Add(new TargetLine(parts[0], parts.Length > 1 ? parts[1] : ""));
        }

        return lines;
    }

    private static async Task ReportUnassignedAsync(Allocator allocator, TextWriter stderr)
    {
        var errors = allocator.LastAssignmentErrors;
        if (errors.Count > 0)
        {
            var reasons = string.Join("; ", errors.Distinct().Take(3));
            await stderr.WriteLineAsync($"warning: {errors.Count} targets unassigned ({reasons}).").ConfigureAwait(false);
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
