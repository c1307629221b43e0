using System.Diagnostics;
using System.Globalization;
using OtelLab.Lint;
using OtelLab.Load.TargetFarm.Pods;
using OtelLab.Scenarios.Monitoring;
using OtelLab.Sim.Collector.Receivers.Prometheus;
using OtelLab.Sim.TargetAllocation;

namespace OtelLab.Scenarios.Checks;

/// <summary>
/// Sharding, judged on the running lab: every farm target (<c>targets.count</c> pods) is discovered
/// by the Target Allocator, owned by exactly one collector replica and scraped by that replica; with consistent
/// hashing, each replica's share is where the ring puts it. The bound: buraksezer/consistent gives each member k of the
/// 1061 partitions (at most the ring's AverageLoad, Load 1.1), a target lands in a partition uniformly (XXH64 of its
/// labels), so a replica's count is Binomial(N, k/1061): within 4σ of N·k/1061. Waits (up to dataWithin) for the first
/// scrape round. The guide's pitfall — a TA with only a namespaced Role discovers nothing — fails here with the count.
/// </summary>
public sealed class ShardingCheck : IScenarioCheck
{
    public string Id => "sharding";

    public string Title => "Every target owned by one replica and scraped by it, shares as the ring bounds them";

    public bool NeedsRunningLab => true;

    public async Task<CheckResult> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Lab is not { } lab)
        {
            return CheckResult.Skip(this, "no running lab");
        }

        var expected = context.Scenario.Targets.Count;
        var allocators = lab.TargetAllocators.Values.ToList();
        if (expected <= 0 || allocators.Count == 0)
        {
            return CheckResult.Skip(this, expected <= 0 ? "the scenario runs no target farm" : "no Target Allocator runs");
        }

        await Task.WhenAny(lab.FirstScrapeRound, Task.Delay(context.DataWait, TimeProvider.System, cancellationToken)).ConfigureAwait(false);
        var farm = lab.Pods().Where(p => p.Metadata.NamespaceProperty == FarmManifests.Namespace && p.Status?.PodIP is not null)
            .Select(p => p.Status.PodIP).ToHashSet(StringComparer.Ordinal);
        var scrapedBy = ScrapedBy(lab);

        // A target the TA has just (re)assigned reaches its new owner on the owner's next poll of the TA and is scraped
        // at its offset within the interval: wait up to one TA poll plus one scrape interval (lab time) for ownership and
        // scraping to agree, and judge then.
        var converge = Stopwatch.StartNew();
        var bound = context.SettleWait(new PrometheusReceiverSettings().TargetAllocatorInterval + Definition.ScrapeBudget.ScrapeInterval);
        while (NotScrapedByOwner(allocators, farm, scrapedBy) > 0 && converge.Elapsed < bound)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
            scrapedBy = ScrapedBy(lab);
        }

        var figures = new List<CheckFigure> { new("farm targets", expected) };
        var problems = new List<string>();
        var evidence = new List<string>();
        var discovered = 0;
        var unassigned = 0;
        var unscraped = 0;
        foreach (var ta in allocators)
        {
            var items = ta.Allocator.TargetItems();
            var owned = items.Values.Where(i => farm.Contains(Host(i.TargetUrl))).ToList();
            discovered += owned.Count;
            var unowned = owned.Count(i => i.CollectorName.Length == 0);
            var notScraped = owned.Where(i => i.CollectorName.Length > 0 && !(scrapedBy.TryGetValue(i.CollectorName, out var s) && s.Contains(i.TargetUrl))).ToList();
            var shares = owned.Where(i => i.CollectorName.Length > 0).GroupBy(i => i.CollectorName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            evidence.Add($"{items.Count} target(s) discovered, {owned.Count} of them farm targets; shares: "
                + string.Join(", ", shares.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}")));
            unassigned += unowned;
            unscraped += notScraped.Count;
            if (unowned > 0)
            {
                problems.Add($"{unowned} farm target(s) have no collector");
            }

            if (notScraped.Count > 0)
            {
                problems.Add($"{notScraped.Count} farm target(s) not scraped by the replica that owns them, e.g. {string.Join(", ", notScraped.Take(3).Select(i => $"{i.TargetUrl} → {i.CollectorName}"))}");
            }

            if (ta.Allocator.Strategy is ConsistentHashingStrategy ring && shares.Count > 0)
            {
                foreach (var (replica, count) in shares.OrderBy(s => s.Key, StringComparer.Ordinal))
                {
                    var k = ring.PartitionLoads.TryGetValue(replica, out var partitions) ? partitions : 0;
                    var p = k / (double)ConsistentHashingStrategy.PartitionCount;
                    var mean = owned.Count * p;
                    var sigma = Math.Sqrt(owned.Count * p * (1 - p));
                    figures.Add(new($"{replica} share", count / (double)owned.Count));
                    evidence.Add(string.Create(CultureInfo.InvariantCulture,
                        $"{replica}: {count} targets; ring partitions {k}/{ConsistentHashingStrategy.PartitionCount} (cap {ring.PartitionCap:0}) → expected {mean:0} ± 4σ {4 * sigma:0}"));
                    if (Math.Abs(count - mean) > 4 * sigma || k > Math.Ceiling(ring.PartitionCap))
                    {
                        problems.Add(string.Create(CultureInfo.InvariantCulture, $"{replica} owns {count} targets, outside {mean:0} ± {4 * sigma:0} (its {k} ring partitions)"));
                    }
                }
            }
        }

        figures.Add(new("farm targets discovered", discovered));
        figures.Add(new("unassigned farm targets", unassigned));
        figures.Add(new("farm targets not scraped by their owner", unscraped));
        if (discovered < expected)
        {
            problems.Insert(0, $"the Target Allocator discovered {discovered} of the {expected} farm targets");
        }

        var summary = problems.Count == 0
            ? $"{discovered}/{expected} farm targets each owned by one replica and scraped by it; {string.Join("; ", evidence)}"
            : string.Join("; ", problems);
        if (problems.Count == 0)
        {
            return new CheckResult { Id = Id, Title = Title, Outcome = CheckOutcome.Pass, Summary = summary, Figures = figures };
        }

        var (obj, location) = TargetAllocatorObject(context.Manifests);
        return new CheckResult
        {
            Id = Id,
            Title = Title,
            Outcome = CheckOutcome.Fail,
            Summary = summary,
            Figures = figures,
            Findings =
            [
                new Finding
                {
                    RuleId = discovered < expected ? "ta-discovers-too-few-targets" : "sharding",
                    Severity = Severity.Error,
                    Object = obj,
                    Location = location,
                    Message = summary,
                    Evidence = evidence,
                    Why = discovered < expected
                        ? "targets the Target Allocator does not discover are scraped by nobody: with only a namespaced Role its ServiceAccount cannot list pods, endpoints and services cluster-wide (the TA's log says \"forbidden\")"
                        : "a target owned by no replica or not scraped by its owner is a hole in the metrics; shares outside the ring's bound mean an allocation that is not consistent hashing",
                    Fix = discovered < expected
                        ? "bind the TA's ServiceAccount to a ClusterRole that can get/list/watch pods, services, endpoints, endpointslices, nodes, servicemonitors and podmonitors (scenarios/payments-fixed/manifests/02-targetallocator-rbac.yaml)"
                        : "read the TA's /jobs/<job>/targets?collector_id= per replica and the replicas' logs",
                },
            ],
        };
    }

    private static string Host(string targetUrl)
    {
        var colon = targetUrl.LastIndexOf(':');
        return colon < 0 ? targetUrl : targetUrl[..colon];
    }

    private static (string Object, Model.SourceLocation Location) TargetAllocatorObject(Model.Manifests.ManifestSet manifests)
    {
        foreach (var (manifest, collector) in manifests.Collectors)
        {
            if (collector.TargetAllocator.Enabled)
            {
                return (manifest.Display, manifest.LocationOf("spec", "targetAllocator"));
            }
        }

        return ("target allocator", Model.SourceLocation.None);
    }

    private static Dictionary<string, HashSet<string>> ScrapedBy(SimLab lab) => CollectorFleet.Of(lab).ToDictionary(
        c => c.Pod,
        c => c.Instance.Service.Components.Select(x => x.Component).OfType<PrometheusReceiver>().SelectMany(r => r.Targets)
            .Where(t => t.Scrapes > 0).Select(t => t.Address).ToHashSet(StringComparer.Ordinal),
        StringComparer.Ordinal);

    private static int NotScrapedByOwner(IEnumerable<TargetAllocator> allocators, HashSet<string> farm, Dictionary<string, HashSet<string>> scrapedBy) =>
        allocators.Sum(ta => ta.Allocator.TargetItems().Values.Count(i =>
            farm.Contains(Host(i.TargetUrl)) && i.CollectorName.Length > 0 && !(scrapedBy.TryGetValue(i.CollectorName, out var s) && s.Contains(i.TargetUrl))));
}
