namespace OtelLab.Sim.Kubelet;

/// <summary>How long a pod took to stop at its kubelet's shutdown (wall time: SIGTERM, the grace period, the release).</summary>
public sealed record PodStop(string? Namespace, string Name, TimeSpan Took)
{
    public override string ToString() => $"{Namespace}/{Name} {Took.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} s";
}
