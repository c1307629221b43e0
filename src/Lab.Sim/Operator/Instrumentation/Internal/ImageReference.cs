using System.Text.RegularExpressions;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>
/// <c>service.version</c> from a container image, as upstream sdk.go <c>parseServiceVersionFromImage</c> does with
/// github.com/distribution/reference <c>Parse</c>: <c>tag@digest</c>, else the digest, else the tag, else none.
/// </summary>
internal static partial class ImageReference
{
    private const int NameTotalLengthMax = 255;

    // upstream: distribution/reference regexp.go — ReferenceRegexp, anchored: name, optional :tag, optional @digest.
    private const string Alphanumeric = "[a-z0-9]+";
    private const string Separator = "(?:[._]|__|[-]+)";
    private const string PathComponent = Alphanumeric + "(?:" + Separator + Alphanumeric + ")*";
    private const string DomainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private const string Host = "(?:" + DomainComponent + "(?:\\." + DomainComponent + ")*|\\[(?:[a-fA-F0-9:]+)\\])";
    private const string Name = "(?:" + Host + "(?::[0-9]+)?/)?" + PathComponent + "(?:/" + PathComponent + ")*";
    private const string Tag = "[\\w][\\w.-]{0,127}";
    private const string Digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";

    [GeneratedRegex("^(" + Name + ")(?::(" + Tag + "))?(?:@(" + Digest + "))?$")]
    private static partial Regex Reference();

    public static string? ServiceVersion(string? image)
    {
        var m = Reference().Match(image ?? string.Empty);
        if (!m.Success || m.Groups[1].Value.Length > NameTotalLengthMax)
        {
            return null;
        }

        var tag = m.Groups[2].Value;
        var digest = m.Groups[3].Value;
        if (digest.Length > 0 && !ValidDigest(digest))
        {
            return null;
        }

        return (tag, digest) switch
        {
            ({ Length: > 0 }, { Length: > 0 }) => $"{tag}@{digest}",
            (_, { Length: > 0 }) => digest,
            ({ Length: > 0 }, _) => tag,
            _ => null,
        };
    }

    // upstream: opencontainers/go-digest Validate — a registered algorithm with its exact hex length.
    private static bool ValidDigest(string digest)
    {
        var colon = digest.IndexOf(':', StringComparison.Ordinal);
        var hex = digest[(colon + 1)..];
        return digest[..colon] switch
        {
            "sha256" => hex.Length == 64 && hex.All(char.IsAsciiHexDigitLower),
            "sha384" => hex.Length == 96 && hex.All(char.IsAsciiHexDigitLower),
            "sha512" => hex.Length == 128 && hex.All(char.IsAsciiHexDigitLower),
            _ => false,
        };
    }
}
