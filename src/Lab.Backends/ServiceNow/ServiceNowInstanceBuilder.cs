using System.Collections.Immutable;
using System.Net;

namespace OtelLab.Backends.ServiceNow;

/// <summary>
/// Immutable builder of a <see cref="ServiceNowInstance"/> (every <c>With…</c> returns a new builder).
/// <code>await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", password).Build(); await snow.StartAsync();</code>
/// </summary>
public sealed record ServiceNowInstanceBuilder
{
    private ImmutableDictionary<string, string> Users { get; init; } = ImmutableDictionary<string, string>.Empty;

    private IPAddress Address { get; init; } = IPAddress.Loopback;

    private int Port { get; init; }

    private TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>A user accepted with basic auth (e.g. the credentials Vault issued).</summary>
    public ServiceNowInstanceBuilder WithUser(string user, string password)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(user);
        ArgumentException.ThrowIfNullOrEmpty(password);
        return this with { Users = Users.SetItem(user, password) };
    }

    public ServiceNowInstanceBuilder WithAddress(IPAddress address) => this with { Address = address };

    public ServiceNowInstanceBuilder WithPort(int port) => this with { Port = port };

    public ServiceNowInstanceBuilder WithTimeProvider(TimeProvider time) => this with { Time = time };

    public ServiceNowInstance Build() => Users.IsEmpty
        ? throw new InvalidOperationException("A mock ServiceNow needs at least one user: call WithUser(user, password).")
        : new ServiceNowInstance(Users, Address, Port, Time);
}
