using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// The Kubernetes auth method mounted at <c>auth/kubernetes/</c>: roles bound to ServiceAccount names and
/// namespaces, and login with a ServiceAccount JWT that is checked against the role and then confirmed through the
/// cluster's TokenReview. upstream: hashicorp/vault-plugin-auth-kubernetes path_login.go (pathLogin,
/// parseAndValidateJWT, serviceAccount.lookup — order of checks and error texts), path_role.go
/// (pathRoleCreateUpdate validation texts, the audience warning), path_config.go (config is accepted; the lab's
/// reviewer stands in for kubernetes_host).
/// </summary>
internal sealed class KubernetesAuthBackend(ITokenReviewer reviewer, TokenStore tokens, ILogger logger)
{
    public const string Mount = "auth/kubernetes/";
    public const string LoginPath = Mount + "login";
    private const string RolePrefix = Mount + "role/";
    private const string ConfigPath = Mount + "config";

    // upstream: Vault's system default max lease TTL (32 days) is the token TTL when the role sets none.
    private static readonly TimeSpan SystemDefaultTtl = TimeSpan.FromHours(768);

    private static readonly string[] AllowedAlgorithms = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"];

    private const string NoAudienceWarning =
        "This role does not specify an audience. In a future version of Vault, specifying an audience will be required.";

    private readonly Dictionary<string, KubernetesRole> _roles = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private JsonObject _config = [];

    public static bool Handles(string path) => path.StartsWith(Mount, StringComparison.Ordinal);

    public bool Exists(string path)
    {
        lock (_lock)
        {
            return path.StartsWith(RolePrefix, StringComparison.Ordinal) && _roles.ContainsKey(path[RolePrefix.Length..].ToLowerInvariant());
        }
    }

    public LogicalResponse Handle(LogicalRequest request)
    {
        if (request.Path == ConfigPath)
        {
            lock (_lock)
            {
                if (request.Operation is LogicalOperation.Create or LogicalOperation.Update)
                {
                    _config = (JsonObject)request.Data.DeepClone();
                    return LogicalResponse.NoContent();
                }

                return LogicalResponse.Ok(_config.DeepClone());
            }
        }

        if (!request.Path.StartsWith(RolePrefix, StringComparison.Ordinal))
        {
            return LogicalResponse.Error(404, "1 error occurred:\n\t* unsupported path\n\n");
        }

        var name = request.Path[RolePrefix.Length..].ToLowerInvariant();
        if (name.Length == 0)
        {
            return LogicalResponse.BadRequest("missing role name");
        }

        return request.Operation switch
        {
            LogicalOperation.Read => ReadRole(name),
            LogicalOperation.Create or LogicalOperation.Update => WriteRole(name, request.Data),
            LogicalOperation.Delete => DeleteRole(name),
            _ => LogicalResponse.Error(405, "1 error occurred:\n\t* unsupported operation\n\n"),
        };
    }

    public async ValueTask<LogicalResponse> LoginAsync(JsonObject data, CancellationToken cancellationToken)
    {
        var roleName = StringField(data, "role");
        if (roleName.Length == 0)
        {
            return LogicalResponse.BadRequest("missing role");
        }

        var jwtText = StringField(data, "jwt");
        if (jwtText.Length == 0)
        {
            return LogicalResponse.BadRequest("missing jwt");
        }

        KubernetesRole? role;
        lock (_lock)
        {
            _roles.TryGetValue(roleName.ToLowerInvariant(), out role);
        }

        if (role is null)
        {
            return LogicalResponse.BadRequest($"invalid role name \"{roleName}\"");
        }

        // parseAndValidateJWT: parse (asymmetric algorithms only), then the role's bindings, in this order.
        var jwt = CompactJwt.TryDecode(jwtText, out var parseError);
        if (jwt is null)
        {
            return LogicalResponse.Error(403, parseError);
        }

        var alg = jwt.Header["alg"] is JsonValue a && a.TryGetValue<string>(out var algName) ? algName : string.Empty;
        if (!AllowedAlgorithms.Contains(alg, StringComparer.Ordinal))
        {
            return LogicalResponse.Error(403, $"unexpected signature algorithm \"{alg}\"; expected one of {string.Join(", ", AllowedAlgorithms)}");
        }

        var name = jwt.Claim("kubernetes.io/serviceaccount/service-account.name") ?? string.Empty;
        var ns = jwt.Claim("kubernetes.io/serviceaccount/namespace") ?? string.Empty;
        if (role.ServiceAccountNames.Count > 1 || role.ServiceAccountNames[0] != "*")
        {
            if (!GlobMatch.ListContains(role.ServiceAccountNames, name))
            {
                return LogicalResponse.Error(403, "service account name not authorized");
            }
        }

        if (!(role.ServiceAccountNamespaces.Count > 0 &&
              (role.ServiceAccountNamespaces[0] == "*" || GlobMatch.ListContains(role.ServiceAccountNamespaces, ns))))
        {
            return LogicalResponse.Error(403, "namespace not authorized");
        }

        var uid = jwt.Claim("kubernetes.io/serviceaccount/service-account.uid");
        if (string.IsNullOrEmpty(uid))
        {
            return LogicalResponse.Error(500, "could not parse UID from claims");
        }

        // serviceAccount.lookup: the TokenReview must confirm the token and agree on name, UID and namespace;
        // any failure is logged at debug and answered with a bare permission denied.
        var audiences = role.Audience.Length > 0 ? [role.Audience] : (string[])[];
        var review = await reviewer.ReviewAsync(jwtText, audiences, cancellationToken).ConfigureAwait(false);
        var parts = review.Username.Split(':');
        if (!review.Authenticated || parts.Length != 4 || parts[3] != name || parts[2] != ns || review.Uid != uid)
        {
            logger.LogDebug("login unauthorized: {Reason}", review.Error ?? "JWT names, UIDs or namespaces did not match");
            return LogicalResponse.Error(403, "permission denied");
        }

        var policies = role.TokenPolicies.Append(role.TokenNoDefaultPolicy ? null : "default").OfType<string>()
            .Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var ttl = role.TokenTtl > TimeSpan.Zero ? role.TokenTtl : SystemDefaultTtl;
        if (role.TokenMaxTtl > TimeSpan.Zero && ttl > role.TokenMaxTtl)
        {
            ttl = role.TokenMaxTtl;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["role"] = roleName,
            ["service_account_name"] = name,
            ["service_account_namespace"] = ns,
            ["service_account_secret_name"] = jwt.Claim("kubernetes.io/serviceaccount/secret.name") ?? string.Empty,
            ["service_account_uid"] = uid,
        };
        var token = tokens.Create(policies, ttl, LoginPath, $"kubernetes-{ns}-{name}", metadata);
        logger.LogInformation("kubernetes login: role {Role} for {Namespace}/{ServiceAccount}, policies [{Policies}], ttl {Ttl}s",
            roleName, ns, name, string.Join(",", policies), (long)ttl.TotalSeconds);

                var auth = new JsonObject
        {
            ["client_token"] = token.Id,
            ["accessor"] = token.Accessor,
            ["policies"] = JsonStrings.Array(policies),
            ["token_policies"] = JsonStrings.Array(policies),
            ["metadata"] = JsonStrings.Object(metadata),
            ["lease_duration"] = (long)ttl.TotalSeconds,
            ["renewable"] = true,
            ["entity_id"] = Guid.NewGuid().ToString(),
            ["token_type"] = "service",
            ["orphan"] = true,
            ["mfa_requirement"] = null,
            ["num_uses"] = 0,
        };
        return new LogicalResponse { Auth = auth };
    }

    private LogicalResponse ReadRole(string name)
    {
        lock (_lock)
        {
            if (!_roles.TryGetValue(name, out var role))
            {
                return LogicalResponse.NotFound();
            }

            var data = new JsonObject
            {
                ["alias_name_source"] = "serviceaccount_uid",
                ["audience"] = role.Audience,
                ["bound_service_account_names"] = JsonStrings.Array(role.ServiceAccountNames),
                ["bound_service_account_namespace_selector"] = string.Empty,
                ["bound_service_account_namespaces"] = JsonStrings.Array(role.ServiceAccountNamespaces),
                ["policies"] = JsonStrings.Array(role.TokenPolicies),
                ["token_bound_cidrs"] = new JsonArray(),
                ["token_explicit_max_ttl"] = 0,
                ["token_max_ttl"] = (long)role.TokenMaxTtl.TotalSeconds,
                ["token_no_default_policy"] = role.TokenNoDefaultPolicy,
                ["token_num_uses"] = 0,
                ["token_period"] = 0,
                ["token_policies"] = JsonStrings.Array(role.TokenPolicies),
                ["token_ttl"] = (long)role.TokenTtl.TotalSeconds,
                ["token_type"] = "default",
                ["ttl"] = (long)role.TokenTtl.TotalSeconds,
            };
            return LogicalResponse.Ok(data);
        }
    }

    private LogicalResponse WriteRole(string name, JsonObject data)
    {
        lock (_lock)
        {
            var role = _roles.TryGetValue(name, out var existing) ? existing : new KubernetesRole();
            if ((ListField(data, "token_policies") ?? ListField(data, "policies")) is { } policies)
            {
                role = role with { TokenPolicies = policies.Select(p => p.ToLowerInvariant()).ToList() };
            }

            foreach (var (field, legacy, apply) in new (string, string, Func<KubernetesRole, TimeSpan, KubernetesRole>)[]
                     {
                         ("token_ttl", "ttl", (r, d) => r with { TokenTtl = d }),
                         ("token_max_ttl", "max_ttl", (r, d) => r with { TokenMaxTtl = d }),
                     })
            {
                var node = data[field] ?? data[legacy];
                if (node is null)
                {
                    continue;
                }

                if (!VaultDuration.TryParse(node, out var duration, out var error))
                {
                    return LogicalResponse.BadRequest(error);
                }

                role = apply(role, duration);
            }

            if (data["token_no_default_policy"] is JsonValue noDefault && noDefault.TryGetValue<bool>(out var flag))
            {
                role = role with { TokenNoDefaultPolicy = flag };
            }

            if (role.TokenMaxTtl > TimeSpan.Zero && role.TokenTtl > role.TokenMaxTtl)
            {
                return LogicalResponse.BadRequest("token ttl should not be greater than token max ttl");
            }

            if (ListField(data, "bound_service_account_names") is { } names)
            {
                role = role with { ServiceAccountNames = names };
            }

            if (role.ServiceAccountNames.Count == 0)
            {
                return LogicalResponse.BadRequest("\"bound_service_account_names\" can not be empty");
            }

            if (role.ServiceAccountNames.Count > 1 && role.ServiceAccountNames.Contains("*"))
            {
                return LogicalResponse.BadRequest("can not mix \"*\" with values");
            }

            if (ListField(data, "bound_service_account_namespaces") is { } namespaces)
            {
                role = role with { ServiceAccountNamespaces = namespaces };
            }

            if (!string.IsNullOrEmpty(StringField(data, "bound_service_account_namespace_selector")))
            {
                // The lab's cluster does not label namespaces for Vault to read; say so rather than ignore it.
                return LogicalResponse.BadRequest("bound_service_account_namespace_selector is not supported by the lab's Vault; list the namespaces in bound_service_account_namespaces");
            }

            if (role.ServiceAccountNamespaces.Count == 0)
            {
                return LogicalResponse.BadRequest("\"bound_service_account_namespaces\" can not be empty if \"bound_service_account_namespace_selector\" is not set");
            }

            if (role.ServiceAccountNamespaces.Count > 1 && role.ServiceAccountNamespaces.Contains("*"))
            {
                return LogicalResponse.BadRequest("can not mix \"*\" with values");
            }

            if (data["audience"] is not null)
            {
                role = role with { Audience = StringField(data, "audience") };
            }

            _roles[name] = role;
            return role.Audience.Trim().Length == 0 ? LogicalResponse.Ok(null, warnings: [NoAudienceWarning]) : LogicalResponse.NoContent();
        }
    }

    private LogicalResponse DeleteRole(string name)
    {
        lock (_lock)
        {
            _roles.Remove(name);
        }

        return LogicalResponse.NoContent();
    }

    private static string StringField(JsonObject data, string name) => data[name] switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v => Convert.ToString(v.GetValue<object>(), CultureInfo.InvariantCulture) ?? string.Empty,
        _ => string.Empty,
    };

    /// <summary>Vault's <c>TypeCommaStringSlice</c>: a JSON list or a comma-separated string.</summary>
    private static List<string>? ListField(JsonObject data, string name) => data[name] switch
    {
        null => null,
        JsonArray list => list.Select(n => n?.ToString().Trim() ?? string.Empty).Where(s => s.Length > 0).ToList(),
        JsonValue v => v.ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
        _ => null,
    };
}
