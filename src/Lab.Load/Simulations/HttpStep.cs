using System.Net;
using System.Net.Sockets;
using System.Text;
using OtelLab.Load.Internal;

namespace OtelLab.Load.Simulations;

/// <summary>
/// A step that POSTs one request (NBomber's HTTP step): OK for a 2xx answer, a fail otherwise, the status code as
/// NBomber's status code (<c>200</c>, <c>500</c>, or the transport's reason such as <c>connect ConnectionRefused</c>),
/// request plus response bytes as its data transfer. Connections leave from a loopback source address (a pod's or
/// node's IP).
/// </summary>
public sealed class HttpStep : IDisposable
{
    private readonly HttpClient _http;
    private readonly Uri _url;
    private readonly Func<HttpContent> _content;
    private readonly long _requestBytes;

    public HttpStep(Uri url, IPAddress? source, Func<HttpContent> content, long requestBytes, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(content);
        if (source is not null && !IPAddress.IsLoopback(source))
        {
            throw new ArgumentException($"source address {source} is not loopback (the lab only uses 127.0.0.0/8)", nameof(source));
        }

        _url = url;
        _content = content;
        _requestBytes = requestBytes;
        _http = new HttpClient(SourceAddressHandler.Create(source), disposeHandler: true) { Timeout = timeout };
    }

    /// <summary>A JSON POST of <paramref name="body"/> (the sample services' <c>/checkout</c>).</summary>
    public static HttpStep Json(Uri url, IPAddress? source, string body, TimeSpan timeout) =>
        new(url, source, () => new StringContent(body, Encoding.UTF8, "application/json"), Encoding.UTF8.GetByteCount(body), timeout);

    public async Task<StepResponse> InvokeAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var content = _content();
            using var response = await _http.PostAsync(_url, content, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var size = _requestBytes + body.Length;
            return response.IsSuccessStatusCode ? StepResponse.Ok(code, size) : StepResponse.Fail(code, size);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return StepResponse.Fail(e switch
            {
                HttpRequestException { InnerException: SocketException se } => $"connect {se.SocketErrorCode}",
                HttpRequestException h => $"http {h.HttpRequestError}",
                OperationCanceledException when cancellationToken.IsCancellationRequested => "cancelled",
                OperationCanceledException => "timeout",
                _ => e.GetType().Name,
            });
        }
    }

    public void Dispose() => _http.Dispose();
}
