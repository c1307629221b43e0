namespace OtelLab.Sim.Vault;

/// <summary>
/// The Kubernetes TokenReview API as Vault's Kubernetes auth method calls it: given a ServiceAccount JWT, is it
/// valid, and whose is it. The simulated cluster provides this; <see cref="ServiceAccountTokenReviewer"/> is the
/// implementation backed by the cluster's <see cref="ServiceAccountTokenIssuer"/>.
/// upstream: hashicorp/vault-plugin-auth-kubernetes token_review.go (tokenReviewer interface).
/// </summary>
public interface ITokenReviewer
{
    ValueTask<TokenReviewStatus> ReviewAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken);
}
