using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using OtelLab.Backends.ServiceNow;
using OtelLab.Scenarios.Definition;
using OtelLab.Scenarios.GitOps;
using OtelLab.Sim.ArgoCd;
using OtelLab.Tests.Support;

namespace OtelLab.Tests.Scenarios.GitOps;

/// <summary>A commit that puts the guide's defect back (no cumulativetodelta in front of Dynatrace) opens a change request carrying the lab's verdict.</summary>
[Trait("Category", "Component")]
public sealed class RevisionVerdictTests
{
    private const string GatewayFile = "clusters/eks-prod/otel/12-otel-gateway.yaml";

    [Fact]
    public async Task The_change_request_for_a_commit_removing_cumulativetodelta_carries_the_dynatrace_finding()
    {
        // Given: payments-gitops' repository, and a second commit that removes cumulativetodelta
        var ct = TestContext.Current.CancellationToken;
        var scenario = ScenarioLoader.Load(RepoPaths.Scenario("payments-gitops"));
        using var dir = new TempDirectory();
        var repo = Path.Combine(dir.Path, "repo");
        await GitOpsRepository.CreateAsync(scenario.GitOps!, repo, ct);
        var baseSha = Git(repo, "rev-parse", "HEAD");
        var gateway = Path.Combine(repo, GatewayFile);
        var text = await File.ReadAllTextAsync(gateway, ct);
        await File.WriteAllTextAsync(gateway, text.Replace("      cumulativetodelta: {}\n", string.Empty, StringComparison.Ordinal)
            .Replace("[cumulativetodelta, batch]", "[batch]", StringComparison.Ordinal), ct);
        Git(repo, "-c", "user.name=dev", "-c", "user.email=dev@example.test", "commit", "-qam", "gateway: drop cumulativetodelta");
        var defectSha = Git(repo, "rev-parse", "HEAD");
        var verdict = new RevisionVerdict(scenario, repo, Path.Combine(dir.Path, "work"));

        await using var snow = new ServiceNowInstanceBuilder().WithUser("argocd", "pw-from-vault").Build();
        await snow.StartAsync(ct);
        using var http = new HttpClient();
        var gate = new ServiceNowChangeGate(http, snow.BaseAddress, "argocd", "pw-from-vault") { Verdict = verdict.DescribeAsync };

        // When: the gate reviews both revisions
        var onBase = await gate.ReviewAsync(new GateRequest("otel-pipeline", scenario.GitOps!.Path, baseSha, null, "initial", "(first sync)"), ct);
        var onDefect = await gate.ReviewAsync(new GateRequest("otel-pipeline", scenario.GitOps.Path, defectSha, baseSha, "gateway: drop cumulativetodelta", "12-otel-gateway.yaml | 3 +--"), ct);

        // Then: both wait for approval; only the defect's request names the finding
        Assert.Equal((GateVerdict.Pending, GateVerdict.Pending), (onBase.Verdict, onDefect.Verdict));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("argocd:pw-from-vault")));
        var list = await http.GetFromJsonAsync<JsonObject>(new Uri(snow.BaseAddress, "api/now/table/change_request?sysparm_query=ORDERBYnumber"), ct);
        var descriptions = list!["result"]!.AsArray().Select(r => (string)r!["description"]!).ToList();
        Assert.Contains($"Lab verdict for {baseSha[..7]}: no errors", descriptions[0], StringComparison.Ordinal);
        Assert.DoesNotContain("dynatrace-cumulative-metrics", descriptions[0], StringComparison.Ordinal);
        Assert.Contains("error dynatrace-cumulative-metrics", descriptions[1], StringComparison.Ordinal);
        Assert.Contains("12-otel-gateway.yaml | 3 +--", descriptions[1], StringComparison.Ordinal);
    }

    private static string Git(string repo, params string[] args)
    {
        var start = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-C");
        start.ArgumentList.Add(repo);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, p.StandardError.ReadToEnd());
        return output.Trim();
    }
}
