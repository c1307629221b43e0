namespace OtelLab.K3s;

/// <summary>One thing the k3s substrate lacks on this machine, and how to provide it.</summary>
public sealed record K3sProblem(string Missing, string Fix);
