using System.Text.Json.Nodes;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// ACL policies behind <c>sys/policies/acl/NAME</c>. Names are lower-cased; <c>root</c> is implicit and cannot be
/// written; <c>default</c> exists from the start and is attached to every token that does not opt out.
/// upstream: vault/policy_store.go (SetPolicy, sanitizes names to lower case; "cannot update root policy"),
/// vault/logical_system.go handlePoliciesSet ("'policy' parameter not supplied or empty"), and the built-in
/// default policy's token self-service paths.
/// </summary>
internal sealed class PolicyStore
{
    public const string Prefix = "sys/policies/acl/";

    // The part of Vault's built-in default policy a workload token uses.
    private const string DefaultPolicy = """
        # Allow tokens to look up their own properties
        path "auth/token/lookup-self" {
            capabilities = ["read"]
        }

        # Allow tokens to renew themselves
        path "auth/token/renew-self" {
            capabilities = ["update"]
        }

        # Allow tokens to revoke themselves
        path "auth/token/revoke-self" {
            capabilities = ["update"]
        }

        # Allow a token to look up its own capabilities on a path
        path "sys/capabilities-self" {
            capabilities = ["update"]
        }
        """;

    private readonly Dictionary<string, AclPolicy> _policies = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public PolicyStore()
    {
        _policies["default"] = HclPolicyParser.TryParse("default", DefaultPolicy, out _)!;
    }

    public bool Exists(string path)
    {
        lock (_lock)
        {
            return _policies.ContainsKey(NameOf(path));
        }
    }

    public IReadOnlyList<AclPolicy> Resolve(IEnumerable<string> names)
    {
        var result = new List<AclPolicy>();
        lock (_lock)
        {
            foreach (var name in names)
            {
                if (name == "root")
                {
                    result.Add(new AclPolicy("root", string.Empty, []));
                }
                else if (_policies.TryGetValue(name, out var policy))
                {
                    // upstream: a token may name a policy that does not exist (yet); it simply grants nothing.
                    result.Add(policy);
                }
            }
        }

        return result;
    }

    public LogicalResponse Handle(LogicalRequest request)
    {
        var name = NameOf(request.Path);
        if (name.Length == 0)
        {
            return LogicalResponse.BadRequest("missing policy name");
        }

        switch (request.Operation)
        {
            case LogicalOperation.Read:
                lock (_lock)
                {
                    if (name == "root")
                    {
                        return LogicalResponse.Ok(new JsonObject { ["name"] = "root", ["policy"] = string.Empty });
                    }

                    return _policies.TryGetValue(name, out var policy)
                        ? LogicalResponse.Ok(new JsonObject { ["name"] = policy.Name, ["policy"] = policy.Raw })
                        : LogicalResponse.NotFound();
                }

            case LogicalOperation.Create or LogicalOperation.Update:
                if (name == "root")
                {
                    return LogicalResponse.BadRequest("cannot update \"root\" policy");
                }

                var raw = request.Data["policy"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
                if (raw.Length == 0)
                {
                    return LogicalResponse.BadRequest("'policy' parameter not supplied or empty");
                }

                var parsed = HclPolicyParser.TryParse(name, raw, out var error);
                if (parsed is null)
                {
                    return LogicalResponse.BadRequest(error);
                }

                lock (_lock)
                {
                    _policies[name] = parsed;
                }

                return LogicalResponse.NoContent();

            case LogicalOperation.Delete:
                if (name is "root" or "default")
                {
                    return LogicalResponse.BadRequest($"cannot delete \"{name}\" policy");
                }

                lock (_lock)
                {
                    _policies.Remove(name);
                }

                return LogicalResponse.NoContent();

            default:
                return LogicalResponse.Error(405, "1 error occurred:\n\t* unsupported operation\n\n");
        }
    }

    private static string NameOf(string path) => path[Prefix.Length..].Trim().ToLowerInvariant();
}
