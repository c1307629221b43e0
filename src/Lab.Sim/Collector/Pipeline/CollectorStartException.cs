namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>A collector that cannot start: the message is what upstream prints before exiting (no secrets in it).</summary>
public sealed class CollectorStartException(string message, Exception? inner = null) : Exception(message, inner);
