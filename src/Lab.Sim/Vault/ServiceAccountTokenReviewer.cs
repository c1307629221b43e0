namespace OtelLab.Sim.Vault;

/// <summary>The cluster's TokenReview endpoint, answered by the cluster's own token signer.</summary>
public sealed class ServiceAccountTokenReviewer(ServiceAccountTokenIssuer issuer) : ITokenReviewer
{
    public ValueTask<TokenReviewStatus> ReviewAsync(string token, IReadOnlyList<string> audiences, CancellationToken cancellationToken) =>
        ValueTask.FromResult(issuer.Review(token));
}
