using System.Net;
using Microsoft.Extensions.Logging;

namespace OtelLab.Sim.Vault;

/// <summary>How to run the lab's Vault: where it listens, whose TokenReview it trusts, and its clock.</summary>
public sealed record VaultServerOptions
{
    /// <summary>A 127.0.0.0/8 address (the Vault pod's IP in the sim). Anything else is refused.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>8200 like Vault; 0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8200;

    public required ITokenReviewer TokenReviewer { get; init; }

    /// <summary>Token TTLs and KV timestamps run on this clock.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>Like <c>vault server -dev -dev-root-token-id</c>; a random <c>hvs.</c> token when null.</summary>
    public string? RootToken { get; init; }

    /// <summary>What <c>sys/health</c> reports as the server version.</summary>
    public string Version { get; init; } = "1.15.6";
}
