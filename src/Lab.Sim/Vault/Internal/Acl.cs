namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// The ACL a token's policies compile to. Deny by default; an exact rule wins over globs; among glob (<c>*</c>
/// suffix) and segment-wildcard (<c>+</c>) rules the most specific wins; <c>deny</c> on the chosen rule denies.
/// Rules for the same path from several policies are merged (union, deny absorbs everything).
/// upstream: vault/acl.go NewACL (merge), AllowOperation (exact → non-exact), CheckAllowedFromNonExactPaths
/// (priority: later first wildcard, not a prefix, fewer <c>+</c>, longer, lexicographically greater).
/// </summary>
internal sealed class Acl
{
    private readonly Dictionary<string, Capability> _exact = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Capability> _prefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Capability> _segmentWildcard = new(StringComparer.Ordinal);

    private Acl(bool isRoot)
    {
        IsRoot = isRoot;
    }

    /// <summary>A token holding the <c>root</c> policy may do anything.</summary>
    public bool IsRoot { get; }

    public static Acl Build(IEnumerable<AclPolicy> policies)
    {
        var list = policies.ToList();
        var acl = new Acl(list.Any(p => p.Name == "root"));
        foreach (var rule in list.SelectMany(p => p.Paths))
        {
            var table = rule.HasSegmentWildcards ? acl._segmentWildcard : rule.IsPrefix ? acl._prefix : acl._exact;
            table[rule.Path] = table.TryGetValue(rule.Path, out var existing) ? Merge(existing, rule.Capabilities) : rule.Capabilities;
        }

        return acl;
    }

    public bool Allows(string path, Capability required)
    {
        if (IsRoot)
        {
            return true;
        }

        var granted = Lookup(path, required == Capability.List);
        return granted is { } caps && (caps & Capability.Deny) == 0 && (caps & required) == required;
    }

    private static Capability Merge(Capability existing, Capability added) =>
        (existing & Capability.Deny) != 0 || (added & Capability.Deny) != 0 ? Capability.Deny : existing | added;

    private Capability? Lookup(string path, bool list)
    {
        if (_exact.TryGetValue(path, out var exact))
        {
            return exact;
        }

        if (list && _exact.TryGetValue(path.TrimEnd('/'), out var listExact))
        {
            return listExact;
        }

        var candidates = new List<(int FirstWildcard, bool IsPrefix, int Wildcards, string Pattern, Capability Caps)>();

        // Only the longest matching glob prefix competes (upstream: radix LongestPrefix).
        var longest = _prefix.Keys.Where(p => path.StartsWith(p, StringComparison.Ordinal)).MaxBy(p => p.Length);
        if (longest is not null)
        {
            candidates.Add((longest.Length, true, 0, longest, _prefix[longest]));
        }

        var parts = path.Split('/');
        foreach (var (pattern, caps) in _segmentWildcard)
        {
            if (MatchSegments(pattern, parts, out var candidate))
            {
                candidates.Add((candidate.FirstWildcard, candidate.IsPrefix, candidate.Wildcards, candidate.Pattern, caps));
            }
        }

        if (candidates.Count == 0)
        {
            return null;
        }

        return candidates
            .OrderBy(c => c.FirstWildcard)
            .ThenBy(c => c.IsPrefix ? 0 : 1)
            .ThenBy(c => -c.Wildcards)
            .ThenBy(c => c.Pattern.Length)
            .ThenBy(c => c.Pattern, StringComparer.Ordinal)
            .Last().Caps;
    }

    private static bool MatchSegments(string fullPattern, string[] pathParts, out (int FirstWildcard, bool IsPrefix, int Wildcards, string Pattern) candidate)
    {
        var isPrefix = fullPattern.EndsWith('*');
        var pattern = isPrefix ? fullPattern[..^1] : fullPattern;
        candidate = (fullPattern.IndexOf('+', StringComparison.Ordinal), isPrefix, 0, pattern);
        var aclParts = pattern.Split('/');
        if (pathParts.Length < aclParts.Length || (!isPrefix && aclParts.Length != pathParts.Length))
        {
            return false;
        }

        var wildcards = 0;
        for (var i = 0; i < aclParts.Length; i++)
        {
            if (aclParts[i] == "+")
            {
                wildcards++;
            }
            else if (aclParts[i] != pathParts[i] &&
                     !(isPrefix && i == aclParts.Length - 1 && pathParts[i].StartsWith(aclParts[i], StringComparison.Ordinal)))
            {
                return false;
            }
        }

        candidate = (candidate.FirstWildcard, isPrefix, wildcards, pattern);
        return true;
    }
}
