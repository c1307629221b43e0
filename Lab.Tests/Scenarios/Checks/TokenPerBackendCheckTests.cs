using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>The token-per-backend judgement on constructed credential records (masked fingerprints only).</summary>
[Trait("Category", "Unit")]
public sealed class TokenPerBackendCheckTests
{
    private static readonly string Issued = CredentialFingerprint.Of("dt0c01.ISSUEDBYVAULTXXXXXXXXX.SECRETSECRETSECRET").Masked;
    private static readonly string Other = CredentialFingerprint.Of("dt0c01.HARDCODEDXXXXXXXXXXXXX.SECRETSECRETSECRET").Masked;

    private static CredentialUsage Seen(string credential, long accepted, long rejected) => new(credential, accepted, rejected, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Only_the_issued_credential_with_accepted_requests_passes()
    {
        Assert.Empty(TokenPerBackendCheck.Judge("dynatrace", [Issued], [Seen(Issued, 12, 0)]));
    }

    [Fact]
    public void An_empty_or_other_credential_beside_the_issued_one_is_named_masked()
    {
        var problems = TokenPerBackendCheck.Judge("dynatrace", [Issued], [Seen(Issued, 12, 0), Seen(CredentialFingerprint.None.Masked, 0, 3), Seen(Other, 0, 1)]);

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("dynatrace saw (none) (0 accepted, 3 rejected request(s))", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(Other, StringComparison.Ordinal));
        Assert.DoesNotContain(problems, p => p.Contains("SECRET", StringComparison.Ordinal));
    }

    [Fact]
    public void A_backend_that_never_accepted_the_issued_credential_fails()
    {
        var problems = TokenPerBackendCheck.Judge("datadog", [Issued], [Seen(Issued, 0, 2)]);

        Assert.Equal([$"datadog never accepted a request carrying the Vault-issued {Issued}"], problems);
    }
}
