using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using OtelLab.Sim.Networking;

namespace OtelLab.Sim.Vault.Internal;

/// <summary>
/// A minimal Vault API client over real HTTP (what the Vault CLI and Agent do). Failures come back as
/// <see cref="VaultApiResponse"/> with the server's error list, never as exceptions for HTTP statuses.
/// </summary>
internal sealed class VaultHttpClient : IDisposable
{
    private readonly HttpClient _http;

    public VaultHttpClient(Uri address, IPAddress? sourceAddress = null)
    {
        var handler = new SocketsHttpHandler { UseProxy = false };
        if (sourceAddress is not null)
        {
            // Connect from the pod's IP, so Vault sees the caller the way it would in a cluster.
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    SourceAddress.Bind(socket, sourceAddress);
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        _http = new HttpClient(handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri Address => _http.BaseAddress!;

    public async Task<VaultApiResponse> SendAsync(HttpMethod method, string path, string? token, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, "v1/" + path);
        if (token is not null)
        {
            request.Headers.Add("X-Vault-Token", token);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        JsonObject? json = null;
        if (text.Length > 0)
        {
            try
            {
                json = JsonNode.Parse(text) as JsonObject;
            }
            catch (JsonException)
            {
                json = null;
            }
        }

        var errors = json?["errors"] is JsonArray list ? list.Select(e => e?.ToString() ?? string.Empty).ToList() : [];
        return new VaultApiResponse(method.Method, new Uri(Address, "v1/" + path), (int)response.StatusCode, json, errors);
    }

    public void Dispose() => _http.Dispose();
}
