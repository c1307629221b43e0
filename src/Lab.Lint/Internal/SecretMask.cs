namespace OtelLab.Lint.Internal;

/// <summary>Masks a credential for display: an auth scheme, at most the first 4 characters, and the length.</summary>
internal static class SecretMask
{
    private static readonly string[] Schemes = ["Api-Token ", "Bearer ", "Basic "];

    public static string Mask(string value)
    {
        var scheme = Schemes.FirstOrDefault(s => value.StartsWith(s, StringComparison.OrdinalIgnoreCase)) ?? string.Empty;
        var secret = value[scheme.Length..];
        return secret.Length <= 8
            ? $"{scheme}****({secret.Length} chars)"
            : $"{scheme}{secret[..4]}****({secret.Length} chars)";
    }
}
