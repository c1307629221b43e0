using OtelLab.Sim.Vault.Internal;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Unit")]
public sealed class AclTests
{
    [Fact]
    public void The_guides_policy_parses_to_two_exact_read_rules()
    {
        var policy = HclPolicyParser.TryParse("otel-collector", """
            path "secret/data/observability/dynatrace" { capabilities = ["read"] }
            path "secret/data/observability/datadog" { capabilities = ["read"] }
            """, out var error);

        Assert.Equal(string.Empty, error);
        Assert.NotNull(policy);
        Assert.Equal(
            [
                new PolicyPath("secret/data/observability/dynatrace", Capability.Read, false, false),
                new PolicyPath("secret/data/observability/datadog", Capability.Read, false, false),
            ],
            policy.Paths);
    }

    [Fact]
    public void Multi_line_blocks_comments_globs_legacy_policies_and_deny_parse()
    {
        var policy = HclPolicyParser.TryParse("p", """
            # team secrets
            path "/secret/data/team/*" {
              capabilities = ["create", "read", "update",]   // trailing comma is fine in HCL
            }
            /* everything under a tenant */
            path "secret/data/+/config" { policy = "read" }
            path "secret/data/team/private" { capabilities = ["read", "deny"] }
            """, out var error);

        Assert.Equal(string.Empty, error);
        Assert.Equal(
            [
                new PolicyPath("secret/data/team/", Capability.Create | Capability.Read | Capability.Update, true, false),
                new PolicyPath("secret/data/+/config", Capability.Read | Capability.List, false, true),
                new PolicyPath("secret/data/team/private", Capability.Deny, false, false),
            ],
            policy!.Paths);
    }

    [Theory]
    [InlineData("path \"a\" { capabilities = [\"reed\"] }", "failed to parse policy: path \"a\": invalid capability \"reed\"")]
    [InlineData("path \"a\" {\n  capabilites = [\"read\"]\n}", "failed to parse policy: path \"a\": invalid key \"capabilites\" on line 2")]
    [InlineData("paths \"a\" { capabilities = [\"read\"] }", "failed to parse policy: invalid key \"paths\" on line 1")]
    [InlineData("path \"a/+*\" { capabilities = [\"read\"] }", "failed to parse policy: path \"a/+*\": invalid use of wildcards ('+*' is forbidden)")]
    [InlineData("path \"a\" { capabilities = [\"read\" }", "failed to parse policy: At 1:35: expected ',' or ']' in list")]
    [InlineData("path \"a\" { policy = \"admin\" }", "failed to parse policy: path \"a\": invalid policy \"admin\"")]
    public void Invalid_policies_get_vaults_error_text(string hcl, string expected)
    {
        Assert.Null(HclPolicyParser.TryParse("p", hcl, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void Deny_by_default_exact_beats_glob_and_the_most_specific_glob_wins()
    {
        // Given rules of every kind, across two policies
        var acl = Build(
            """
            path "secret/data/team/*" { capabilities = ["read"] }
            path "secret/data/team/private" { capabilities = ["deny"] }
            path "secret/data/+/shared" { capabilities = ["read", "update"] }
            path "secret/data/team/shared*" { capabilities = ["create"] }
            """,
            """
            path "secret/data/team/*" { capabilities = ["list"] }
            path "secret/data/+/+/deep" { capabilities = ["delete"] }
            """);

        // Then nothing outside the rules is allowed
        Assert.False(acl.Allows("secret/data/other/x", Capability.Read));

        // And same-path rules from two policies are merged
        Assert.True(acl.Allows("secret/data/team/a", Capability.Read));
        Assert.True(acl.Allows("secret/data/team/a", Capability.List));

        // And an exact deny beats the glob
        Assert.False(acl.Allows("secret/data/team/private", Capability.Read));

        // And "secret/data/team/shared": the glob's first wildcard comes later (offset 23 vs 12) than the + rule's
        Assert.True(acl.Allows("secret/data/team/shared", Capability.Create));
        Assert.False(acl.Allows("secret/data/team/shared", Capability.Update));

        // And a + rule matches exactly one segment per +
        Assert.True(acl.Allows("secret/data/other/shared", Capability.Update));
        Assert.True(acl.Allows("secret/data/a/b/deep", Capability.Delete));
        Assert.False(acl.Allows("secret/data/a/deep", Capability.Delete));
    }

    [Fact]
    public void The_root_policy_allows_everything()
    {
        var acl = Acl.Build([new AclPolicy("root", string.Empty, [])]);

        Assert.True(acl.IsRoot);
        Assert.True(acl.Allows("sys/policies/acl/anything", Capability.Update));
    }

    private static Acl Build(params string[] policies) =>
        Acl.Build(policies.Select((hcl, i) => HclPolicyParser.TryParse($"p{i}", hcl, out _)!));
}
