using System.Diagnostics.Tracing;
using System.Globalization;

/// <summary>
/// What the window's allocations are made of, by type: the runtime's allocation tick (an event about every 100 KB
/// allocated, naming the type whose allocation crossed it; runtime ClrEtwAll.man, GCAllocationTick_V4) summed per type
/// is a sample of allocated bytes proportional to each type's share.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, (long Ticks, long Bytes)> _byType = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private bool _listening;

    public AllocationSampler()
    {
        lock (_gate)
        {
            _listening = true;
        }
    }

    public void Print(long scrapes)
    {
        List<KeyValuePair<string, (long Ticks, long Bytes)>> rows;
        lock (_gate)
        {
            _listening = false;
            rows = [.. _byType.OrderByDescending(kv => kv.Value.Bytes)];
        }

        var total = rows.Sum(r => r.Value.Bytes);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(inv, $"  allocation ticks over the window: {rows.Sum(r => r.Value.Ticks):N0} ({total / 1048576.0:N0} MB sampled, {(scrapes > 0 ? total / 1024.0 / scrapes : 0):0.0} KB per scrape served)"));
        foreach (var (type, (ticks, bytes)) in rows.Take(25))
        {
            Console.WriteLine(string.Create(inv, $"  {100.0 * bytes / Math.Max(1, total),5:0.0} %  {ticks,7:N0}  {type}"));
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (e.EventName is null || !e.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal) || e.Payload is null || e.PayloadNames is null)
        {
            return;
        }

        var type = e.PayloadNames.IndexOf("TypeName") is var t and >= 0 ? e.Payload[t] as string ?? "?" : "?";
        var amount = e.PayloadNames.IndexOf("AllocationAmount64") is var a and >= 0 ? Convert.ToInt64(e.Payload[a], CultureInfo.InvariantCulture) : 0;
        lock (_gate)
        {
            if (!_listening)
            {
                return;
            }

            _byType[type] = _byType.TryGetValue(type, out var v) ? (v.Ticks + 1, v.Bytes + amount) : (1, amount);
        }
    }
}
