using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OtelLab.Sim.Vault.Internal;

namespace OtelLab.Sim.Vault;

/// <summary>
/// The simulated cluster's ServiceAccount token signer: mints ES256 JWTs shaped like the API server's legacy
/// ServiceAccount tokens and reviews them (signature, issuer, and that the ServiceAccount still has the UID the token
/// was minted for). Asymmetric because Vault's Kubernetes auth accepts only RS/ES/PS algorithms; ES256 (an API
/// server option for its signing key) rather than RS256 because a P-256 key is made in microseconds, an RSA key
/// in up to a second on a busy machine.
/// upstream: kubernetes pkg/serviceaccount/legacy.go (claim names, issuer <c>kubernetes/serviceaccount</c>);
/// hashicorp/vault-plugin-auth-kubernetes path_login.go (allowedSigningAlgs: RS/ES/PS only).
/// </summary>
public sealed class ServiceAccountTokenIssuer : IDisposable
{
    public const string LegacyIssuer = "kubernetes/serviceaccount";

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly ConcurrentDictionary<(string Namespace, string Name), string> _uids = new();
    private readonly string _keyId;

    public ServiceAccountTokenIssuer()
    {
        _keyId = Base64Url.EncodeToString(SHA256.HashData(_key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>The ServiceAccount's UID; the account is created on first use.</summary>
    public string UidOf(string serviceAccountNamespace, string name) =>
        _uids.GetOrAdd((serviceAccountNamespace, name), _ => Guid.NewGuid().ToString());

    /// <summary>Mints a token for <c>system:serviceaccount:NAMESPACE:NAME</c>.</summary>
    public string Issue(string serviceAccountNamespace, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceAccountNamespace);
        ArgumentException.ThrowIfNullOrEmpty(name);
        var uid = UidOf(serviceAccountNamespace, name);
        var header = new JsonObject { ["alg"] = "ES256", ["kid"] = _keyId };
        var claims = new JsonObject
        {
            ["iss"] = LegacyIssuer,
            ["kubernetes.io/serviceaccount/namespace"] = serviceAccountNamespace,
            ["kubernetes.io/serviceaccount/secret.name"] = $"{name}-token",
            ["kubernetes.io/serviceaccount/service-account.name"] = name,
            ["kubernetes.io/serviceaccount/service-account.uid"] = uid,
            ["sub"] = $"system:serviceaccount:{serviceAccountNamespace}:{name}",
        };
        return CompactJwt.Encode(header, claims, input => _key.SignData(input, HashAlgorithmName.SHA256));
    }

    /// <summary>Deletes the ServiceAccount: tokens minted for it no longer pass review (recreating it gives a new UID).</summary>
    public void Delete(string serviceAccountNamespace, string name) => _uids.TryRemove((serviceAccountNamespace, name), out _);

    /// <summary>What the API server's TokenReview answers for <paramref name="token"/>.</summary>
    public TokenReviewStatus Review(string token)
    {
        var jwt = CompactJwt.TryDecode(token, out var error);
        if (jwt is null)
        {
            return TokenReviewStatus.Failed("invalid bearer token, " + error);
        }

        // ECDsa signs and verifies in IEEE P1363 form (r || s), which is JWS's ES256 encoding (RFC 7518 §3.4).
        if (jwt.Header["alg"]?.GetValue<string>() != "ES256" || !_key.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256))
        {
            return TokenReviewStatus.Failed("invalid bearer token, square/go-jose: error in cryptographic primitive");
        }

        var ns = jwt.Claim("kubernetes.io/serviceaccount/namespace");
        var name = jwt.Claim("kubernetes.io/serviceaccount/service-account.name");
        var uid = jwt.Claim("kubernetes.io/serviceaccount/service-account.uid");
        if (jwt.Claim("iss") != LegacyIssuer || ns is null || name is null || uid is null)
        {
            return TokenReviewStatus.Failed("invalid bearer token, token lookup failed");
        }

        if (!_uids.TryGetValue((ns, name), out var current) || current != uid)
        {
            return TokenReviewStatus.Failed("invalid bearer token, service account token has been invalidated");
        }

        return new TokenReviewStatus { Authenticated = true, Username = $"system:serviceaccount:{ns}:{name}", Uid = uid };
    }

    public void Dispose() => _key.Dispose();
}
