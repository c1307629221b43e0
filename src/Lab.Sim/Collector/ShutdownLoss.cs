namespace OtelLab.Sim.Collector;

/// <summary>
/// What the process's collectors dropped because a shutdown's deadline came before their queues were drained: requests
/// still queued or in flight when an exporter's shutdown was cut short (upstream exporterhelper drops them the same way
/// when its shutdown context ends). Process-wide and cumulative; a lab reads the difference over its own run.
/// </summary>
public static class ShutdownLoss
{
    private static long _requests;
    private static long _items;

    /// <summary>Export requests dropped at shutdown so far.</summary>
    public static long Requests => Interlocked.Read(ref _requests);

    /// <summary>Spans or metric points in them.</summary>
    public static long Items => Interlocked.Read(ref _items);

    public static void RecordExport(int items)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _items, items);
    }
}
