using System.Security.Cryptography.X509Certificates;
using k8s;

namespace OtelLab.Sim.ApiServer;

/// <summary>Where the lab's API server is and the CA its certificate chains to: what a client needs besides a token.</summary>
/// <param name="Address">e.g. <c>https://127.0.0.1:41234</c>.</param>
/// <param name="CertificateAuthorityPem">The lab's CA (public).</param>
public sealed record ApiServerEndpoint(Uri Address, string CertificateAuthorityPem)
{
    /// <summary>A KubernetesClient configuration for this server with <paramref name="token"/> as the bearer (never logged).</summary>
    public KubernetesClientConfiguration ClientConfiguration(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        return new KubernetesClientConfiguration
        {
            Host = Address.ToString(),
            AccessToken = token,
            SslCaCerts = [X509Certificate2.CreateFromPem(CertificateAuthorityPem)],
        };
    }

    /// <summary>Whether <paramref name="certificate"/> chains to this server's CA (for clients other than KubernetesClient).</summary>
    public bool Trusts(X509Certificate2? certificate)
    {
        if (certificate is null)
        {
            return false;
        }

        using var ca = X509Certificate2.CreateFromPem(CertificateAuthorityPem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
