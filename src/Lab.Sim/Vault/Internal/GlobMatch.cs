namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// A value list that may hold <c>*</c> globs at either end.
/// upstream: go-secure-stdlib strutil.GlobbedStringsMatch / StrListContainsGlob, used by the Kubernetes auth
/// plugin for <c>bound_service_account_names</c> and <c>bound_service_account_namespaces</c>.
/// </summary>
internal static class GlobMatch
{
    public static bool Matches(string item, string value)
    {
        if (item.Length < 2)
        {
            return value == item;
        }

        var prefix = item[0] == '*';
        var suffix = item[^1] == '*';
        return (prefix, suffix) switch
        {
            (true, true) => value.Contains(item[1..^1], StringComparison.Ordinal),
            (true, false) => value.EndsWith(item[1..], StringComparison.Ordinal),
            (false, true) => value.StartsWith(item[..^1], StringComparison.Ordinal),
            _ => value == item,
        };
    }

    public static bool ListContains(IEnumerable<string> items, string value) => items.Any(i => Matches(i, value));
}
