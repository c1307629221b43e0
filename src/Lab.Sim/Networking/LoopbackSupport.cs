using System.Net;
using System.Net.Sockets;

namespace OtelLab.Sim.Networking;

/// <summary>
/// Checks that this machine lets a process bind loopback addresses other than 127.0.0.1. Linux routes all of
/// 127.0.0.0/8 to <c>lo</c>; macOS configures only 127.0.0.1 unless aliases are added, so the sim cannot give pods
/// their own addresses there without help.
/// </summary>
public static class LoopbackSupport
{
    /// <summary>Binds an ephemeral port on <paramref name="probe"/> (default a node address) and reports the outcome.</summary>
    public static LoopbackProbeResult Probe(IPAddress? probe = null)
    {
        probe ??= new LoopbackAddressPlan().NodeAddress(1);
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(probe, 0));
            return new LoopbackProbeResult(true, null);
        }
        catch (SocketException e)
        {
            return new LoopbackProbeResult(false, Explain(probe, e.SocketErrorCode));
        }
    }

    /// <summary>Throws with what to do when the probe fails.</summary>
    public static void EnsureSupported(IPAddress? probe = null)
    {
        var result = Probe(probe);
        if (!result.Supported)
        {
            throw new InvalidOperationException(result.Problem);
        }
    }

    internal static string Explain(IPAddress probe, SocketError error)
    {
        var fix = OperatingSystem.IsMacOS()
            ? "macOS only configures 127.0.0.1: add aliases for the addresses the sim uses, e.g. " +
              $"`sudo ifconfig lo0 alias {probe} up` (one per node, pod and Service address; see README), or run the lab in a Linux container"
            : "on Linux all of 127.0.0.0/8 is routed to lo; check that the loopback interface is up (`ip addr show lo`) " +
              "and that no sandbox restricts bind(2)";
        return $"cannot bind {probe} ({error}): the simulated cluster gives every node, pod and Service its own loopback address. Fix: {fix}.";
    }
}

/// <summary>The outcome of <see cref="LoopbackSupport.Probe"/>.</summary>
public sealed record LoopbackProbeResult(bool Supported, string? Problem);
