using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// A ServiceNow Table API client as the change gate and the change board use it: basic auth, JSON in and out, a
/// failed call raised with ServiceNow's error object (the credentials are never part of it).
/// </summary>
public sealed class ServiceNowTableClient(HttpClient http, Uri instance, string user, string password)
{
    private readonly AuthenticationHeaderValue _auth = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));

    public async Task<JsonObject> SendAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(method, new Uri(instance, path));
        message.Headers.Authorization = _auth;
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            message.Content = JsonContent.Create(body);
        }

        using var response = await http.SendAsync(message, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"ServiceNow {method} {path}: {(int)response.StatusCode} {text}");
        }

        return JsonNode.Parse(text) as JsonObject ?? [];
    }
}
