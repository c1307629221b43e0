using System.Net.Http.Headers;
using System.Net.Security;
using OtelLab.Sim.ApiServer;

namespace OtelLab.Tests.Sim.ApiServer;

/// <summary>A raw HTTP client for the lab's API server: trusts the server's CA and, unless told otherwise, sends the admin's token as kubectl does.</summary>
internal static class ApiServerHttp
{
    public static HttpClient Client(KubernetesApiServer server, bool admin = true, bool allowRedirect = true)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = allowRedirect,
            SslOptions = new SslClientAuthenticationOptions
            {
                // The name must match (an IP SAN); the chain must end at the run's CA rather than the machine's roots.
                RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                    (errors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && server.Endpoint.Trusts(certificate as System.Security.Cryptography.X509Certificates.X509Certificate2),
            },
        };
        var client = new HttpClient(handler) { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(30) };
        if (admin)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", server.AdminToken);
        }

        return client;
    }
}
