namespace OtelLab.Sim.Kubelet;

/// <summary>
/// How the lab runs one image as a child process (an entry of <c>SampleServices/images.json</c>): an app image runs
/// <see cref="Command"/>; an init image runs the pod's own command (the operator's <c>cp</c>) with
/// <see cref="Filesystem"/> standing for the files the image holds.
/// </summary>
public sealed record ProcessImage
{
    /// <summary>Image pattern; <c>*</c> matches any text (<c>otel-lab/checkout:*</c>).</summary>
    public required string Image { get; init; }

    /// <summary>Program and arguments (placeholders already expanded); empty for init images.</summary>
    public IReadOnlyList<string> Command { get; init; } = [];

    /// <summary>The program that must be on PATH and how to get it, for the message when it is missing.</summary>
    public string Tool { get; init; } = string.Empty;

    /// <summary>The port the service listens on when the container declares none.</summary>
    public int? Port { get; init; }

    /// <summary>The readiness path probed over HTTP on the pod address (null: ready once started).</summary>
    public string? Health { get; init; }

    /// <summary>Image path → host path (the image's files, for init containers' commands).</summary>
    public IReadOnlyDictionary<string, string> Filesystem { get; init; } = new Dictionary<string, string>();

    /// <summary>Files the image needs that a build step makes (e.g. the Node agent's installed packages).</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
}
