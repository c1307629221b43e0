using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>An HTTP answer from Vault: status, JSON body and its <c>errors</c> list.</summary>
internal sealed partial record VaultApiResponse(string Method, Uri Url, int Status, JsonObject? Body, IReadOnlyList<string> Errors)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>
    /// The Vault Go client's error text on one line: <c>Error making API request. URL: PUT … Code: 403. Errors: * …</c>.
    /// upstream: hashicorp/vault api/response.go ResponseError.Error().
    /// </summary>
    public string Describe()
    {
        var errors = Errors.Count == 0 ? string.Empty : " Errors: " + string.Join(' ', Errors.Select(e => "* " + e));
        return Whitespace().Replace(string.Create(CultureInfo.InvariantCulture, $"Error making API request. URL: {Method} {Url} Code: {Status}.{errors}"), " ").Trim();
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
