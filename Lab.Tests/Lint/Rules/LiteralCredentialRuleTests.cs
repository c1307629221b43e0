using OtelLab.Lint;
using OtelLab.Lint.Reporting;
using OtelLab.Lint.Rules;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;
using static OtelLab.Tests.Lint.LintFixture;

namespace OtelLab.Tests.Lint.Rules;

/// <summary>Literal credentials in the fields that carry one, whatever their format, always reported masked.</summary>
[Trait("Category", "Unit")]
public sealed class LiteralCredentialRuleTests
{
    private const string Token = "7f3c9a1be04d4c2a9e5b61d0c8a2f4e1";

    private static string WithExporter(string exporter, string type = "traces") => Collector(config: """
        receivers: {otlp: {protocols: {grpc: {}}}}
        exporters:
        @1@
        service: {pipelines: {SIGNAL: {receivers: [otlp], exporters: [x]}}}
        """.Replace("SIGNAL", type, StringComparison.Ordinal).Replace("@1@", exporter, StringComparison.Ordinal));

    private static string WithExtension(string extension) => Collector(config: """
        receivers: {otlp: {protocols: {grpc: {}}}}
        exporters: {debug: {}}
        extensions:
        @0@
        service: {extensions: [auth], pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}
        """.Replace("@0@", extension, StringComparison.Ordinal));

    public static TheoryData<string, string> LiteralFields => new()
    {
        { "datadog api.key, block style", WithExporter($"  x:\n    api:\n      key: {Token}\n      site: datadoghq.com") },
        { "datadog api.key, flow style and quoted", WithExporter($"  x: {{api: {{key: '{Token}'}}}}") },
        { "datadog api.key, digits only", WithExporter("  x: {api: {key: 12345678901234567890123456789012}}") },
        { "otlphttp Authorization Api-Token", WithExporter($"  x: {{endpoint: \"https://h/api/v2/otlp\", headers: {{Authorization: \"Api-Token dt0c01.{Token}\"}}}}") },
        { "otlp DD-API-KEY header", WithExporter($"  x: {{endpoint: \"h:4317\", headers: {{DD-API-KEY: {Token}}}}}") },
        { "otlphttp x-api-key header", WithExporter($"  x: {{endpoint: \"https://h\", headers: {{x-api-key: short}}}}") },
        { "a header of any name holding a token", WithExporter($"  x: {{endpoint: \"https://h\", headers: {{x-honeycomb-team: hcaik_{Token}}}}}") },
        { "a Bearer header of any name", WithExporter("  x: {endpoint: \"https://h\", headers: {X-Custom: \"Bearer abc\"}}") },
        { "bearertokenauth token", WithExtension($"  bearertokenauth/auth: {{token: {Token}}}").Replace("extensions: [auth]", "extensions: [bearertokenauth/auth]", StringComparison.Ordinal) },
        { "basicauth client_auth.password", WithExtension("  basicauth/auth: {client_auth: {username: u, password: hunter2}}").Replace("extensions: [auth]", "extensions: [basicauth/auth]", StringComparison.Ordinal) },
        { "basicauth htpasswd.inline", WithExtension("  basicauth/auth: {htpasswd: {inline: \"u:hunter2\"}}").Replace("extensions: [auth]", "extensions: [basicauth/auth]", StringComparison.Ordinal) },
        { "oauth2client client_secret", WithExtension("  oauth2client/auth: {client_id: c, client_secret: s3cr3t-value, token_url: \"https://t\"}").Replace("extensions: [auth]", "extensions: [oauth2client/auth]", StringComparison.Ordinal) },
        { "kafka auth.plain_text.password", WithExporter("  x: {brokers: [k:9092], auth: {plain_text: {username: u, password: hunter2}}}") },
    };

    [Theory]
    [MemberData(nameof(LiteralFields))]
    public void A_literal_credential_is_an_error(string field, string collector)
    {
        var f = Assert.Single(Run(new LiteralCredentialRule(), collector));

        Assert.True(f.Severity == Severity.Error, field);
        Assert.Contains("sha256:", f.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> RuntimeReferences => new()
    {
        "\"${env:DD_API_KEY}\"",
        "\"${file:/vault/secrets/dd}\"",
        "'${DD_API_KEY}'",
        "\"Api-Token ${file:/vault/secrets/dt}\"",
        "\"Bearer ${env:TOKEN}\"",
    };

    [Theory]
    [MemberData(nameof(RuntimeReferences))]
    public void A_value_read_at_runtime_passes(string value)
    {
        Assert.Empty(Run(new LiteralCredentialRule(), WithExporter($"  datadog: {{api: {{key: {value}}}}}").Replace("[x]", "[datadog]", StringComparison.Ordinal)));
        Assert.Empty(Run(new LiteralCredentialRule(), WithExporter($"  otlphttp: {{endpoint: \"https://h\", headers: {{Authorization: {value}, x-api-key: {value}}}}}").Replace("[x]", "[otlphttp]", StringComparison.Ordinal)));
        Assert.Empty(Run(new LiteralCredentialRule(), WithExtension($"  bearertokenauth: {{token: {value}}}").Replace("[auth]", "[bearertokenauth]", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_block_style_reference_passes() =>
        Assert.Empty(Run(new LiteralCredentialRule(), WithExporter("  datadog:\n    api:\n      key: ${file:/vault/secrets/dd}").Replace("[x]", "[datadog]", StringComparison.Ordinal)));

    [Fact]
    public void Fields_that_name_a_credential_but_hold_none_pass()
    {
        var config = WithExporter("""
              otlphttp:
                endpoint: "https://h"
                auth: {authenticator: bearertokenauth}
                headers: {X-Scope-OrgID: tenant-1, Content-Type: application/x-protobuf}
                tls: {key_file: /certs/tls.key, cert_file: /certs/tls.crt}
            """).Replace("[x]", "[otlphttp]", StringComparison.Ordinal);

        Assert.Empty(Run(new LiteralCredentialRule(), config));
    }

    [Fact]
    public void The_token_never_appears_in_findings_json_or_sarif()
    {
        var findings = Run(new LiteralCredentialRule(),
            WithExporter($"  datadog: {{api: {{key: {Token}}}}}").Replace("[x]", "[datadog]", StringComparison.Ordinal),
            Collector(name: "other", extraSpec: $"env: [{{name: DD_API_KEY, value: \"{Token}\"}}]"));

        Assert.Equal(2, findings.Count);
        foreach (var text in findings.SelectMany(f => new[] { f.Message, f.Why, f.Fix }.Concat(f.Evidence))
                     .Append(FindingJsonWriter.Write(findings))
                     .Append(SarifWriter.Write(findings, Linter.Rules)))
        {
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
        }

        Assert.All(findings, f => Assert.Contains("7f3c****(sha256:", f.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_type_error_on_a_credential_field_shows_the_value_masked()
    {
        var node = new YamlScalarNode(Token);

        var error = new YamlReader("f.yaml").TypeError(node, "exporters.datadog.api.key", "a mapping");

        Assert.DoesNotContain(Token, error.Message, StringComparison.Ordinal);
        Assert.Contains("7f3c****", error.Message, StringComparison.Ordinal);
    }
}
