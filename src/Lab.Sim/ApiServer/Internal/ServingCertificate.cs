using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>
/// The API server's TLS identity for one run: a CA made in memory (its key is dropped once it has signed) and the
/// serving certificate it signed for the loopback address, as kubeadm makes a cluster CA and an apiserver
/// certificate whose SANs carry the advertise address. kubectl verifies it against the kubeconfig's
/// <c>certificate-authority-data</c> (client-go transport/transport.go); its server name is the IP (an IP SAN).
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    private ServingCertificate(string caPem, X509Certificate2 certificate)
    {
        CertificateAuthorityPem = caPem;
        Certificate = certificate;
    }

    /// <summary>The CA certificate (public), for kubeconfigs and clients.</summary>
    public string CertificateAuthorityPem { get; }

    /// <summary>The serving certificate with its private key (held only by Kestrel).</summary>
    public X509Certificate2 Certificate { get; }

    public static ServingCertificate For(IPAddress address, DateTimeOffset now)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=otel-lab kubernetes CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(7));

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=kube-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(address);
        if (!address.Equals(IPAddress.Loopback))
        {
            names.AddIpAddress(IPAddress.Loopback);
        }

        // The names kubeadm puts on an apiserver certificate that a loopback client can use.
        names.AddDnsName("localhost");
        names.AddDnsName("kubernetes.default.svc");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var signed = request.Create(ca, now.AddMinutes(-5), now.AddDays(7), RandomNumberGenerator.GetBytes(16));
        var certificate = signed.CopyWithPrivateKey(key);
        key.Dispose();
        return new ServingCertificate(ca.ExportCertificatePem(), certificate);
    }

    public void Dispose() => Certificate.Dispose();
}
