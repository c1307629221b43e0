namespace OtelLab.Sim.Kubelet;

/// <summary>
/// A <c>$(Variable)</c> in the value of <see cref="EnvVar"/> that the kubelet left literal because no variable of that
/// name was defined earlier in the container's env (or envFrom) — e.g. <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> still holding
/// <c>$(K8S_NODE_NAME)</c>.
/// </summary>
public sealed record UnresolvedReference(string EnvVar, string Variable)
{
    /// <summary>The literal text left in the value.</summary>
    public string Text => $"$({Variable})";

    public override string ToString() => $"{EnvVar} still contains {Text}: {Variable} is not defined earlier in the container's env";
}
