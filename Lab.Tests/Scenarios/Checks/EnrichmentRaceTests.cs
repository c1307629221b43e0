using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Scenarios.Checks.Internal;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>
/// Which unenriched spans k8sattributes missed only because its pod cache did not have their pod yet (upstream's
/// informer-fed GetPod), told apart from senders it never enriches (no RBAC, enrichment behind a gateway).
/// </summary>
[Trait("Category", "Unit")]
public sealed class EnrichmentRaceTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch.AddHours(1);

    private static CapturedSpan Span(string service, string? podIp, bool named, double secondsAfterT0)
    {
        var attributes = new List<KeyValue>();
        if (podIp is not null)
        {
            attributes.Add(new KeyValue { Key = "k8s.pod.ip", Value = new AnyValue { StringValue = podIp } });
        }

        if (named)
        {
            attributes.Add(new KeyValue { Key = "k8s.pod.name", Value = new AnyValue { StringValue = service + "-7d9f-x" } });
        }

        return new CapturedSpan
        {
            Resource = new CapturedResource
            {
                Backend = "dynatrace",
                ServiceName = service,
                Attributes = attributes,
                Credential = CredentialFingerprint.None,
                ReceivedAt = T0.AddSeconds(secondsAfterT0),
            },
            TraceId = 1,
            SpanId = 1,
            Name = "op",
        };
    }

    private static bool Named(IReadOnlyList<KeyValue> attributes) => attributes.Any(a => a.Key == "k8s.pod.name");

    [Fact]
    public void Misses_from_a_pod_the_agent_enriched_at_the_same_time_or_later_are_the_race_and_nothing_else_is()
    {
        // Given fraud-score's first batch unenriched, then enriched spans from the same pod address; a sender never
        // enriched (no RBAC); a miss from fraud-score's address after its last enriched span (the pod gone); and an
        // unenriched span with no pod address at all
        var early = Enumerable.Range(0, 6).Select(i => Span("fraud-score", "127.64.1.9", named: false, 0)).ToList();
        var mixedBatch = Span("fraud-score", "127.64.1.9", named: false, 1);
        var later = Enumerable.Range(0, 40).Select(i => Span("fraud-score", "127.64.1.9", named: true, 1 + (i * 0.5))).ToList();
        var gone = Span("fraud-score", "127.64.1.9", named: false, 60);
        var neverEnriched = Enumerable.Range(0, 5).Select(i => Span("billing", "127.64.2.4", named: false, i)).ToList();
        var noAddress = Span("edge", null, named: false, 2);
        List<CapturedSpan> spans = [.. early, mixedBatch, .. later, gone, .. neverEnriched, noAddress];

        // When the race is measured
        var race = EnrichmentRace.BeforeThePodWasKnown(spans, Named);

        // Then exactly the misses received no later than an enriched span from the same pod are the race
        Assert.Equal(early.Append(mixedBatch).ToHashSet(), race.ToHashSet());
        Assert.DoesNotContain(gone, race);
        Assert.All(neverEnriched, s => Assert.DoesNotContain(s, race));
        Assert.DoesNotContain(noAddress, race);
    }

    [Fact]
    public void A_sender_without_rbac_has_no_race_so_every_span_stays_judged()
    {
        // Given every span unenriched (the agent cannot watch pods), from three pod addresses
        var spans = Enumerable.Range(0, 30).Select(i => Span("fraud-score", $"127.64.1.{i % 3}", named: false, i)).ToList();

        // Then none is excused
        Assert.Empty(EnrichmentRace.BeforeThePodWasKnown(spans, Named));
    }

    [Fact]
    public void The_deployment_name_check_judges_the_spans_after_the_race_and_says_how_many_it_left_out()
    {
        // Given 271 spans judged, none missing the name, and 6 sent before the agent had their pod
        var check = new DeploymentNameCheck();
        var evidence = new DeploymentNameEvidence(271, [], [], 0, 3, SentBeforePodKnown: 6);

        // When judged at the 99 % expectation
        var result = DeploymentNameCheck.Judge(check, evidence, 0.99, "agent", OtelLab.Model.SourceLocation.None);

        // Then it passes, and its summary and figures name the 6 left out
        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Contains("6 more sent before the agent's pod cache had their pod (not judged)", result.Summary, StringComparison.Ordinal);
        Assert.Equal(6, Assert.Single(result.Figures, f => f.Name == "spans before their pod was known").Value);
    }
}
