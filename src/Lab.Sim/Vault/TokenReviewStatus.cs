namespace OtelLab.Sim.Vault;

/// <summary>
/// <c>TokenReview.status</c>: whether the token authenticated, the user it maps to
/// (<c>system:serviceaccount:NAMESPACE:NAME</c>) and its UID, or the error.
/// </summary>
public sealed record TokenReviewStatus
{
    public required bool Authenticated { get; init; }

    public string Username { get; init; } = string.Empty;

    public string Uid { get; init; } = string.Empty;

    public string? Error { get; init; }

    public static TokenReviewStatus Failed(string error) => new() { Authenticated = false, Error = error };
}
