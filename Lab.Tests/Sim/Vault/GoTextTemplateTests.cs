using System.Text.Json.Nodes;
using OtelLab.Sim.Vault.Internal.Templates;

namespace OtelLab.Tests.Sim.Vault;

[Trait("Category", "Unit")]
public sealed class GoTemplateTests
{
    private static readonly object? Data = GoValue.FromJson(JsonNode.Parse("""
        {"Data": {"data": {"token": "abc", "b": true, "n": 3, "empty": "", "list": ["x", "y"]},
                  "metadata": {"version": 2, "custom_metadata": null}}}
        """));

    [Theory]
    [InlineData("a {{- \" b \" -}} c", "a b c")]
    [InlineData("a\n  {{- \"b\" }}\n", "ab\n")]
    [InlineData("{{- /* comment */ -}}\n  x", "x")]
    [InlineData("{{/* comment */}}x", "x")]
    [InlineData("a {{-3}}", "a -3")]
    [InlineData("{{ .Data.data.token }}", "abc")]
    [InlineData("{{ .Data.data.n }}|{{ .Data.data.b }}|{{ .Data.data.list }}", "3|true|[x y]")]
    [InlineData("{{ .Data.metadata }}", "map[custom_metadata:<nil> version:2]")]
    [InlineData("{{ .Data.metadata.custom_metadata }}|{{ .Data.data.nope }}", "<no value>|<no value>")]
    [InlineData("{{ with .Data.data }}{{ .token }}{{ end }}", "abc")]
    [InlineData("{{ with .Data.data.empty }}yes{{ else }}no{{ end }}", "no")]
    [InlineData("{{ with .Data.data.nope }}yes{{ else with .Data.data.token }}{{ . }}{{ end }}", "abc")]
    [InlineData("{{ if .Data.data.b }}on{{ else if .Data.data.n }}n{{ else }}off{{ end }}", "on")]
    [InlineData("{{ range $k, $v := .Data.metadata }}{{ $k }}={{ $v }};{{ end }}", "custom_metadata=<no value>;version=2;")]
    [InlineData("{{ range .Data.data.list }}<{{ . }}>{{ else }}none{{ end }}", "<x><y>")]
    [InlineData("{{ range .Data.data.nope }}x{{ else }}none{{ end }}", "none")]
    [InlineData("{{ $t := .Data.data.token }}{{ $t }}{{ $.Data.metadata.version }}", "abc2")]
    [InlineData("{{ .Data.data.token | toUpper }}|{{ printf \"%s-%d\" .Data.data.token .Data.data.n }}", "ABC|abc-3")]
    [InlineData("{{ index .Data.data \"token\" }}|{{ len .Data.data.list }}|{{ not .Data.data.b }}", "abc|2|false")]
    [InlineData("{{ eq .Data.metadata.version 2 }}|{{ (.Data.data).token }}", "true|abc")]
    public void Renders_like_go_text_template(string template, string expected)
    {
        var output = GoTextTemplate.Parse(template, []).Execute(Data, new Dictionary<string, TemplateFunction>());

        Assert.Equal(expected, output);
    }

    [Theory]
    [InlineData("{{ .Data.data.token.x }}", "template: :1:3: executing \"\" at <.Data.data.token.x>: can't evaluate field x in type string")]
    [InlineData("{{ .Data.data.nope.x }}", "template: :1:3: executing \"\" at <.Data.data.nope.x>: nil pointer evaluating interface {}.x")]
    [InlineData("line\n{{ .Data.data.token 1 }}", "template: :2:3: executing \"\" at <.Data.data.token>: can't give argument to non-function .Data.data.token")]
    public void Execution_errors_read_like_go(string template, string expected)
    {
        var error = Assert.Throws<TemplateException>(() =>
            GoTextTemplate.Parse(template, []).Execute(Data, new Dictionary<string, TemplateFunction>()));

        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("{{ with .Data }}x", "template: :1: unexpected EOF")]
    [InlineData("{{ end }}", "template: :1: unexpected {{end}}")]
    [InlineData("{{ .Data", "template: :1: unclosed action")]
    [InlineData("a\n{{ sekret \"x\" }}", "template: :2: function \"sekret\" not defined")]
    [InlineData("{{ \"abc }}", "template: :1: unterminated quoted string")]
    [InlineData("{{ }}", "template: :1: missing value for command")]
    [InlineData("{{ template \"x\" }}", "template: :1: {{template}} is not supported by the lab's template engine")]
    public void Parse_errors_read_like_go(string template, string expected)
    {
        var error = Assert.Throws<TemplateException>(() => GoTextTemplate.Parse(template, []));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void Functions_receive_literal_arguments_and_piped_values_last()
    {
        var calls = new List<string>();
        var template = GoTextTemplate.Parse("{{ secret \"a/b\" }}{{ \"x\" | secret \"y\" }}", ["secret"]);

        var output = template.Execute(null, new Dictionary<string, TemplateFunction>
        {
            ["secret"] = args =>
            {
                calls.Add(string.Join(",", args));
                return "s";
            },
        });

        Assert.Equal("ss", output);
        Assert.Equal(["a/b", "y,x"], calls);
    }
}
