namespace OtelLab.K3s;

/// <summary>
/// A file put into the k3s container before it starts: generated text (a HelmChart CR) or a host file copied as is
/// (a manifest, an image tarball of gigabytes: streamed, never read into memory here).
/// </summary>
public sealed record K3sFile(string ContainerPath, string? HostPath = null, string? Text = null);
