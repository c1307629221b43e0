namespace OtelLab.Lint.Internal;

/// <summary>
/// A way cumulative metric points reach an exporter: the evidence names each tier on the path (collector, pipeline,
/// <c>file:line</c>). <paramref name="Seen"/> is false when the sender is outside the manifests and only the SDK
/// default (cumulative) says what it sends.
/// </summary>
internal sealed record CumulativeSource(bool Seen, string Evidence);
