namespace OtelLab.Lint.Internal;

/// <summary>Masks a credential for display: never more than the first 4 characters and the length.</summary>
internal static class SecretMask
{
    public static string Mask(string value) =>
        value.Length <= 8 ? $"****({value.Length} chars)" : $"{value[..4]}****({value.Length} chars)";
}
