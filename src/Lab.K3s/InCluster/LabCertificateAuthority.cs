using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OtelLab.K3s.InCluster;

/// <summary>
/// The run's own CA and the in-cluster backends' server certificate, made in memory for one k3s run: the
/// certificate names every vendor host the cluster's DNS sends to the backends, so a collector that trusts the CA
/// verifies TLS as it would against the vendor. The CA's key never leaves this object; the server key goes only into
/// the <c>lab-backends-tls</c> Secret, applied through the API (never written to disk).
/// </summary>
public sealed class LabCertificateAuthority
{
    private LabCertificateAuthority(string caPem, string serverCertificatePem, string serverKeyPem, IReadOnlyList<string> names)
    {
        CaPem = caPem;
        ServerCertificatePem = serverCertificatePem;
        ServerKeyPem = serverKeyPem;
        ServerNames = names;
    }

    /// <summary>The CA certificate (public): what the collectors trust through <c>SSL_CERT_FILE</c>.</summary>
    public string CaPem { get; }

    public string ServerCertificatePem { get; }

    /// <summary>The server's private key (PKCS#8 PEM); secret: only for the TLS Secret.</summary>
    internal string ServerKeyPem { get; }

    /// <summary>The DNS names the server certificate carries.</summary>
    public IReadOnlyList<string> ServerNames { get; }

    /// <summary>A CA valid for a day and a server certificate it signed for <paramref name="backends"/>' hosts and Services.</summary>
    public static LabCertificateAuthority Create(InClusterBackends backends, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(backends);
        ArgumentNullException.ThrowIfNull(time);
        var now = time.GetUtcNow();
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=otel-lab run CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        var names = backends.HostServices.Select(h => h.Host)
            .Concat([InClusterBackends.ServiceName(InClusterBackends.DynatraceService), InClusterBackends.ServiceName(InClusterBackends.DatadogService)])
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + names[0], serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        foreach (var name in names)
        {
            san.AddDnsName(name);
        }

        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var server = request.Create(ca, now.AddMinutes(-5), now.AddDays(1), RandomNumberGenerator.GetBytes(16));
        return new LabCertificateAuthority(ca.ExportCertificatePem(), server.ExportCertificatePem(), serverKey.ExportPkcs8PrivateKeyPem(), names);
    }

    public override string ToString() => $"otel-lab run CA for {string.Join(", ", ServerNames)} (keys not shown)";
}
