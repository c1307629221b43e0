using System.Text.RegularExpressions;

namespace OtelLab.Model.Secrets;

/// <summary>
/// Which collector config fields carry a credential, and whether a value is a literal or read at runtime
/// (<c>${env:X}</c>, <c>${file:…}</c>, <c>${X}</c>).
/// </summary>
/// <remarks>
/// upstream: opentelemetry-collector config/configopaque (the type of every credential field: datadog <c>api.key</c>,
/// confighttp/configgrpc <c>headers</c>, extension/bearertokenauthextension <c>token</c>,
/// extension/basicauthextension <c>client_auth.password</c> and <c>htpasswd.inline</c>, oauth2client <c>client_secret</c>);
/// prometheus scrape configs carry <c>basic_auth.password</c>, <c>authorization.credentials</c>, <c>bearer_token</c>.
/// </remarks>
public static partial class CredentialFields
{
    private static readonly string[] Schemes = ["Api-Token", "Bearer", "Basic", "Token", "DSN"];

    [GeneratedRegex(@"^(.*[_\-.])?(api[_\-]?key|apikey|api[_\-]?token|token|access[_\-]?token|bearer[_\-]?token|password|passwd|secret|client[_\-]?secret|secret[_\-]?key|private[_\-]?key|key[_\-]?pem|authorization|credentials|bearer)$", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveName();

    [GeneratedRegex(@"(auth|token|key|secret|password|passwd|team|signature)", RegexOptions.IgnoreCase)]
    private static partial Regex SensitiveHeader();

    [GeneratedRegex(@"\$\{[^}]*\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"^[A-Za-z0-9._~+/=:\-]{16,}$")]
    private static partial Regex TokenShape();

    /// <summary>
    /// True when the field at <paramref name="path"/> (dot-separated, e.g. <c>exporters.datadog.api.key</c>,
    /// <c>exporters.otlphttp/dynatrace.headers.Authorization</c>) carries a credential by its name.
    /// </summary>
    public static bool IsCredentialPath(string path)
    {
        var segments = path.Split('.');
        var last = StripIndex(segments[^1]);
        var parent = segments.Length > 1 ? StripIndex(segments[^2]) : string.Empty;
        if (last.EndsWith("_file", StringComparison.OrdinalIgnoreCase) || last.EndsWith("_path", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return SensitiveName().IsMatch(last) ||
               (last == "key" && parent == "api") ||
               (last == "inline" && parent == "htpasswd") ||
               (parent == "headers" && SensitiveHeader().IsMatch(last));
    }

    /// <summary>True for a header value that is a token whatever the header is called (an auth scheme, or a long opaque string).</summary>
    public static bool LooksLikeToken(string value)
    {
        var (scheme, rest) = SplitScheme(value);
        if (scheme.Length > 0 && rest.Length > 0)
        {
            return true;
        }

        return TokenShape().IsMatch(rest) && rest.Any(char.IsDigit) && rest.Any(char.IsLetter);
    }

    /// <summary>
    /// True when the value holds a literal secret: not empty, not only an auth scheme, not a boolean, and not read at
    /// runtime (everything but the scheme is <c>${…}</c> references).
    /// </summary>
    public static bool IsLiteral(string value)
    {
        var (_, rest) = SplitScheme(value);
        var literal = Reference().Replace(rest, string.Empty).Trim();
        return literal.Length > 0 && literal is not ("true" or "false");
    }

    private static (string Scheme, string Value) SplitScheme(string value)
    {
        var trimmed = value.Trim();
        foreach (var scheme in Schemes)
        {
            if (trimmed.Equals(scheme, StringComparison.OrdinalIgnoreCase))
            {
                return (scheme, string.Empty);
            }

            if (trimmed.StartsWith(scheme + " ", StringComparison.OrdinalIgnoreCase))
            {
                return (scheme, trimmed[(scheme.Length + 1)..].Trim());
            }
        }

        return (string.Empty, trimmed);
    }

    private static string StripIndex(string segment)
    {
        var bracket = segment.IndexOf('[', StringComparison.Ordinal);
        return bracket < 0 ? segment : segment[..bracket];
    }
}
