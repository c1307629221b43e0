using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// Vault's request pipeline for the lab's paths: unauthenticated login, otherwise token check → existence check
/// (create vs update) → ACL → backend. upstream: vault/request_handling.go handleCancelableRequest / checkToken
/// (missing token → "missing client token"; unknown or expired token → "permission denied"; ACL denial → a
/// one-item multierror "permission denied"; writes become create or update by the backend's existence check).
/// </summary>
internal sealed class VaultCore
{
    private const string LookupSelf = "auth/token/lookup-self";

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenStore _tokens;
    private readonly PolicyStore _policies = new();
    private readonly KvV2Backend _kv;
    private readonly KubernetesAuthBackend _kubernetes;

    public VaultCore(ITokenReviewer reviewer, TimeProvider time, ILogger logger, string? rootToken)
    {
        _time = time;
        _logger = logger;
        _tokens = new TokenStore(time);
        _kv = new KvV2Backend(time);
        _kubernetes = new KubernetesAuthBackend(reviewer, _tokens, logger);
        RootToken = _tokens.Create(["root"], TimeSpan.Zero, "auth/token/root", "root", id: rootToken).Id;
    }

    public string RootToken { get; }

    public async ValueTask<LogicalResponse> HandleAsync(LogicalRequest request, CancellationToken cancellationToken)
    {
        if (request.Path == KubernetesAuthBackend.LoginPath && request.Operation is LogicalOperation.Create or LogicalOperation.Update)
        {
            return await _kubernetes.LoginAsync(request.Data, cancellationToken).ConfigureAwait(false);
        }

        if (string.IsNullOrEmpty(request.ClientToken))
        {
            return LogicalResponse.BadRequest("missing client token");
        }

        var token = _tokens.Lookup(request.ClientToken);
        if (token is null)
        {
            _logger.LogInformation("{Operation} {Path}: permission denied (unknown or expired token {Token})",
                request.Operation, request.Path, SecretText.Mask(request.ClientToken));
            return LogicalResponse.Error(403, "permission denied");
        }

        var operation = request.Operation;
        if (operation is LogicalOperation.Create or LogicalOperation.Update)
        {
            operation = Exists(request.Path) ? LogicalOperation.Update : LogicalOperation.Create;
        }

        var acl = Acl.Build(_policies.Resolve(token.Policies));
        if (!acl.Allows(request.Path, Required(operation)))
        {
            _logger.LogInformation("{Operation} {Path}: denied by policies [{Policies}]",
                operation, request.Path, string.Join(",", token.Policies));
            return LogicalResponse.Error(403, LogicalResponse.AclDenied);
        }

        var routed = request with { Operation = operation };
        return request.Path switch
        {
            LookupSelf when operation is LogicalOperation.Read or LogicalOperation.Update or LogicalOperation.Create => LookupToken(token),
            _ when request.Path.StartsWith(PolicyStore.Prefix, StringComparison.Ordinal) => _policies.Handle(routed),
            _ when KubernetesAuthBackend.Handles(request.Path) => _kubernetes.Handle(routed),
            _ when KvV2Backend.Handles(request.Path) => _kv.Handle(routed),
            _ => LogicalResponse.Error(404, $"no handler for route \"{request.Path}\". route entry not found."),
        };
    }

    private bool Exists(string path) =>
        path.StartsWith(PolicyStore.Prefix, StringComparison.Ordinal) ? _policies.Exists(path)
        : KubernetesAuthBackend.Handles(path) ? _kubernetes.Exists(path)
        : KvV2Backend.Handles(path) && _kv.Exists(path);

    private static Capability Required(LogicalOperation operation) => operation switch
    {
        LogicalOperation.Read => Capability.Read,
        LogicalOperation.List => Capability.List,
        LogicalOperation.Create => Capability.Create,
        LogicalOperation.Update => Capability.Update,
        LogicalOperation.Delete => Capability.Delete,
        _ => Capability.Sudo,
    };

    // upstream: vault/token_store.go handleLookup — the fields a workload reads back about its own token.
    private LogicalResponse LookupToken(TokenEntry token)
    {
        var now = _time.GetUtcNow();
        var remaining = token.ExpiresAt is { } e ? (long)Math.Max(0, (e - now).TotalSeconds) : 0;
        var data = new JsonObject
        {
            ["accessor"] = token.Accessor,
            ["creation_time"] = token.IssuedAt.ToUnixTimeSeconds(),
            ["creation_ttl"] = (long)token.Ttl.TotalSeconds,
            ["display_name"] = token.DisplayName,
            ["entity_id"] = string.Empty,
            ["expire_time"] = token.ExpiresAt is { } x ? KvV2Backend.Timestamp(x) : null,
            ["explicit_max_ttl"] = 0,
            ["id"] = token.Id,
            ["issue_time"] = KvV2Backend.Timestamp(token.IssuedAt),
            ["meta"] = token.Meta is null ? null : JsonStrings.Object(token.Meta),
            ["num_uses"] = 0,
            ["orphan"] = true,
            ["path"] = token.Path,
            ["policies"] = JsonStrings.Array(token.Policies),
            ["renewable"] = token.Ttl > TimeSpan.Zero,
            ["ttl"] = remaining,
            ["type"] = "service",
        };
        return LogicalResponse.Ok(data);
    }
}
