namespace OtelLab.K3s;

/// <summary>
/// The k3s container as the engine reports it: its id (null before it starts), image, Testcontainers state
/// (<c>Undefined</c>, <c>Created</c>, <c>Running</c>, <c>Exited</c>, …, or <c>NotStarted</c>) and the API server's
/// address on the host while it runs.
/// </summary>
public sealed record K3sContainerInfo(string? Id, string Image, string State, string? ApiServer);
