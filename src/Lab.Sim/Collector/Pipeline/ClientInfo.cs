using System.Net;

namespace OtelLab.Sim.Collector.Pipeline;

/// <summary>
/// Who sent the data being consumed: upstream's <c>client.Info</c>, which receivers put into the request's
/// <c>context.Context</c>. It flows with the call (an <see cref="AsyncLocal{T}"/>, like a Go context) and is lost where
/// upstream loses it: the batch processor exports from its own goroutine, so a k8sattributes processor placed after
/// batch sees no connection address (upstream k8sattributesprocessor README: "put it before batch").
/// </summary>
public sealed record ClientInfo(IPAddress? Address, IReadOnlyDictionary<string, string> Metadata)
{
    private static readonly AsyncLocal<ClientInfo?> CurrentInfo = new();

    /// <summary>The client of the call in progress, or null (no receiver set one, or it was lost on the way).</summary>
    public static ClientInfo? Current => CurrentInfo.Value;

    /// <summary>Sets <see cref="Current"/> for the rest of the calling async flow; dispose to restore the previous one.</summary>
    public static IDisposable Enter(ClientInfo info)
    {
        var previous = CurrentInfo.Value;
        CurrentInfo.Value = info;
        return new Scope(previous);
    }

    private sealed class Scope(ClientInfo? previous) : IDisposable
    {
        public void Dispose() => CurrentInfo.Value = previous;
    }
}
