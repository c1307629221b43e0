using OpenTelemetry.Proto.Common.V1;
using OtelLab.Backends.Capture;
using OtelLab.Model;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Checks.Guide;
using OtelLab.Sim.Collector.Processors.TailSampling;

namespace OtelLab.Tests.Scenarios.Checks.Guide;

/// <summary>The guide-defect checks' verdicts on constructed measurements (no lab): what fails, what passes, what the evidence says.</summary>
[Trait("Category", "Unit")]
public sealed class GuideCheckJudgementTests
{
    private static readonly SourceLocation At = new("12-otel-gateway.yaml", 3, 1);

    [Fact]
    public void Credential_rejections_fail_with_status_count_and_the_masked_credential_only()
    {
        // Given Dynatrace refused 7 requests with 401 and a gateway pod crash-looping on an empty datadog key
        var evidence = new CredentialEvidence(
            [new AuthRejection("dynatrace", 401, "UNAUTHORIZED", "missing or invalid Api-Token", 7, 70, "(none)")],
            [new CollectorCredentialState("observability/otel-gateway-collector-x", "CrashLoopBackOff", 3, ["error\texporters::datadog: api.key is not set"], 0)]);

        // When judged
        var result = VendorCredentialsCheck.Judge(new VendorCredentialsCheck(), evidence, "OpenTelemetryCollector observability/otel-gateway", At, ["otlphttp/dynatrace", "datadog"]);

        // Then it fails with the status, count and log line as evidence and the file fix
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("vendor-credentials-rejected", finding.RuleId);
        Assert.Contains(finding.Evidence, e => e.Contains("401 UNAUTHORIZED to 7 request(s)", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("CrashLoopBackOff, 3 restart(s)", StringComparison.Ordinal) && e.Contains("api.key is not set", StringComparison.Ordinal));
        Assert.Contains("${file:/vault/secrets/dt}", finding.Fix, StringComparison.Ordinal);
        Assert.Equal(7, result.Figures.Single(f => f.Name == "auth-rejected requests").Value);
    }

    [Theory]
    [InlineData("2026-11-24T08:44:02.401Z\tinfo\tSetting up own telemetry...", false)]
    [InlineData("2026-11-24T08:44:02.403Z\tinfo\tEverything is ready. Begin running and processing data.", false)]
    [InlineData("2026-11-24T08:44:02.120Z\terror\tExporting failed. Dropping data.\t{\"error\": \"Permanent error: error exporting items, request to https://abc12345.live.dynatrace.com/api/v2/otlp/v1/traces responded with HTTP Status Code 401\"}", true)]
    [InlineData("2026-11-24T08:44:02.120Z\terror\tAPI Key validation failed", true)]
    public void A_credential_line_is_an_auth_status_or_key_error_not_a_timestamp_that_reads_401(string line, bool expected)
    {
        // A run judged two healthy collectors "failing on a credential" because their start-up lines were logged at .401 s
        Assert.Equal(expected, VendorCredentialsCheck.IsCredentialLine(line));
    }

    [Fact]
    public void No_credential_failure_passes()
    {
        var result = VendorCredentialsCheck.Judge(new VendorCredentialsCheck(), new CredentialEvidence([], []), "x", At, []);

        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public void Cumulative_rejections_fail_with_points_reason_metrics_and_the_backends_message()
    {
        // Given 900 points accepted and 100 rejected as cumulative sums
        var evidence = new MetricRejectionEvidence(900,
            [new RejectedMetrics("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM", 4, 100, ["http_requests_total", "otelcol_receiver_accepted_spans"],
                "The following issues were encountered while ingesting OTLP metrics:\nErrors:\nUnsupported metric: 'http_requests_total'")], 4);

        // When judged
        var result = DynatraceMetricRejectionsCheck.Judge(new DynatraceMetricRejectionsCheck(), evidence, "gateway", At);

        // Then it fails: 10 % rejected, the reason and the message in evidence, cumulativetodelta as the fix
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal(0.1, result.Figures.Single(f => f.Name == "rejected share").Value, 6);
        var finding = Assert.Single(result.Findings);
        Assert.Contains(finding.Evidence, e => e.StartsWith("UNSUPPORTED_METRIC_TYPE_MONOTONIC_CUMULATIVE_SUM: 100 point(s) in 4 response(s)", StringComparison.Ordinal));
        Assert.Contains(finding.Evidence, e => e.Contains("Unsupported metric: 'http_requests_total'", StringComparison.Ordinal));
        Assert.Contains("cumulativetodelta", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void A_request_over_dynatraces_data_point_limit_is_its_own_finding_with_send_batch_max_size_as_the_fix()
    {
        // Given one 16,320-point request refused (seen at 9,000 targets: the gateway's batch had no send_batch_max_size)
        var evidence = new MetricRejectionEvidence(289_868,
            [new RejectedMetrics(DynatraceMetricRejectionsCheck.TooManyDataPoints, 1, 16_320, [], "16320 data points; limit 15000 per request")], 0);

        // When judged
        var result = DynatraceMetricRejectionsCheck.Judge(new DynatraceMetricRejectionsCheck(), evidence, "gateway", At);

        // Then it fails with the size finding only: not blamed on cumulative temporality
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        var finding = Assert.Single(result.Findings);
        Assert.Equal("dynatrace-request-too-large", finding.RuleId);
        Assert.Contains("send_batch_max_size", finding.Fix, StringComparison.Ordinal);
        Assert.Contains(finding.Evidence, e => e.Contains("16320 data points; limit 15000", StringComparison.Ordinal));
    }

    [Fact]
    public void Metrics_all_accepted_pass_and_no_metrics_at_all_is_skipped_not_passed()
    {
        var check = new DynatraceMetricRejectionsCheck();

        Assert.Equal(CheckOutcome.Pass, DynatraceMetricRejectionsCheck.Judge(check, new MetricRejectionEvidence(500, [], 0), "g", At).Outcome);
        Assert.Equal(CheckOutcome.Skipped, DynatraceMetricRejectionsCheck.Judge(check, new MetricRejectionEvidence(0, [], 0), "g", At).Outcome);
    }

    [Fact]
    public void Traces_on_two_replicas_fail_with_the_split_fraction_the_inconsistent_decisions_and_incomplete_traces()
    {
        // Given 4 traces: 1 and 2 only on replica a, 3 on both (kept by a, sampled out by b), 4 on both (kept by both)
        var a = new ReplicaDecisions("gw-a", new Dictionary<UInt128, TraceOutcome> { [1] = TraceOutcome.Kept, [2] = TraceOutcome.SampledOut, [3] = TraceOutcome.Kept, [4] = TraceOutcome.Kept });
        var b = new ReplicaDecisions("gw-b", new Dictionary<UInt128, TraceOutcome> { [3] = TraceOutcome.SampledOut, [4] = TraceOutcome.Kept });

        // And the backend holds trace 1 whole, trace 3 without its root (b dropped it), trace 4 whole
        IReadOnlyList<CapturedSpan> spans = [Span(1, 10, 0), Span(1, 11, 10), Span(3, 31, 30), Span(4, 40, 0), Span(4, 41, 40)];

        // When judged
        var result = GatewayTraceSplitCheck.Judge(new GatewayTraceSplitCheck(), [a, b], spans, "gateway", At);

        // Then 2/4 split (50 %), 1 inconsistent, 1 of 3 traces at the backend incomplete
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal(0.5, result.Figures.Single(f => f.Name == "split fraction").Value, 6);
        Assert.Equal(1, result.Figures.Single(f => f.Name == "inconsistent decisions").Value);
        Assert.Equal(1, result.Figures.Single(f => f.Name == "incomplete traces at dynatrace").Value);
        Assert.Contains("loadbalancing", Assert.Single(result.Findings).Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_trace_on_one_replica_passes()
    {
        var a = new ReplicaDecisions("gw-a", new Dictionary<UInt128, TraceOutcome> { [1] = TraceOutcome.Kept });
        var b = new ReplicaDecisions("gw-b", new Dictionary<UInt128, TraceOutcome> { [2] = TraceOutcome.SampledOut });

        var result = GatewayTraceSplitCheck.Judge(new GatewayTraceSplitCheck(), [a, b], [Span(1, 10, 0)], "gateway", At);

        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Equal(0, result.Figures.Single(f => f.Name == "split traces").Value);
        Assert.Equal(2, result.Figures.Single(f => f.Name == "replicas that decided traces").Value);
        Assert.DoesNotContain("alone", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_trace_on_one_of_two_replicas_passes_and_says_the_placement_explains_it()
    {
        // Given two replicas, all 30 traces decided by gw-a and none by gw-b (every agent's connection landed on gw-a)
        var a = new ReplicaDecisions("gw-a", Enumerable.Range(1, 30).ToDictionary(i => (UInt128)i, _ => TraceOutcome.Kept));
        var b = new ReplicaDecisions("gw-b", new Dictionary<UInt128, TraceOutcome>());

        var result = GatewayTraceSplitCheck.Judge(new GatewayTraceSplitCheck(), [a, b], [Span(1, 10, 0)], "gateway", At);

        // Then nothing split, and the summary says why: one replica decided everything
        Assert.Equal(CheckOutcome.Pass, result.Outcome);
        Assert.Equal(1, result.Figures.Single(f => f.Name == "replicas that decided traces").Value);
        Assert.Contains("every trace reached gw-a alone", result.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Spans_without_the_deployment_name_fail_below_the_ratio_with_the_forbidden_line()
    {
        // Given 100 spans, 40 of them without k8s.deployment.name, and the agent's forbidden line
        var evidence = new DeploymentNameEvidence(100, [("checkout", 25), ("payments", 15)],
            ["observability/otel-agent-collector-abc: W… pods is forbidden: User \"system:serviceaccount:observability:otel-agent-collector\" cannot list resource \"pods\""], 6, 40);

        // When judged against 99 %
        var result = DeploymentNameCheck.Judge(new DeploymentNameCheck(), evidence, 0.99, "agent", At);

        // Then it fails with the 40 % ratio, the per-service counts and the forbidden line
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Equal(0.4, result.Figures.Single(f => f.Name == "ratio without").Value, 6);
        var finding = Assert.Single(result.Findings);
        Assert.Contains("checkout: 25 span(s) without k8s.deployment.name", finding.Evidence);
        Assert.Contains(finding.Evidence, e => e.Contains("is forbidden", StringComparison.Ordinal));
    }

    [Fact]
    public void Deployment_name_within_the_ratio_passes_and_no_spans_is_skipped()
    {
        var check = new DeploymentNameCheck();

        Assert.Equal(CheckOutcome.Pass, DeploymentNameCheck.Judge(check, new DeploymentNameEvidence(1000, [("ledger", 5)], [], 0, 0), 0.99, "a", At).Outcome);
        Assert.Equal(CheckOutcome.Fail, DeploymentNameCheck.Judge(check, new DeploymentNameEvidence(1000, [("ledger", 11)], [], 0, 0), 0.99, "a", At).Outcome);
        Assert.Equal(CheckOutcome.Skipped, DeploymentNameCheck.Judge(check, new DeploymentNameEvidence(0, [], [], 0, 0), 0.99, "a", At).Outcome);
    }

    [Fact]
    public void Forbidden_lines_fail_even_when_injected_resource_attributes_hide_the_missing_deployment_name()
    {
        // Given every span carries the name (the operator injected it) but the agents logged the refused watch
        var evidence = new DeploymentNameEvidence(50, [], ["agent: pods is forbidden: User \"system:serviceaccount:observability:otel-agent-collector\""], 120, 0);

        // When judged, Then it fails on the RBAC evidence, with the 0 % ratio stated
        var result = DeploymentNameCheck.Judge(new DeploymentNameCheck(), evidence, 0.99, "agent", At);
        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains(Assert.Single(result.Findings).Evidence, e => e.StartsWith("0/50 spans", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_none_of_whose_spans_carries_the_name_is_named_with_its_counts()
    {
        // Given 1000 spans: fraud-score's 60 all without the name, checkout's 940 with it (injected), and forbidden lines
        var evidence = new DeploymentNameEvidence(1000, [("fraud-score", 60)], ["agent: pods is forbidden"], 12, 30,
            new Dictionary<string, long> { ["checkout"] = 940, ["fraud-score"] = 60 });

        // When judged
        var result = DeploymentNameCheck.Judge(new DeploymentNameCheck(), evidence, 0.99, "agent", At);

        // Then the finding names fraud-score as unenriched with its share, and the figures count each service
        var finding = Assert.Single(result.Findings);
        Assert.Contains("60/1000 spans (", finding.Message, StringComparison.Ordinal);
        Assert.Contains("every span of fraud-score lacks it", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("checkout", finding.Message, StringComparison.Ordinal);
        Assert.Contains("fraud-score: 60 span(s) without k8s.deployment.name of 60", finding.Evidence);
        Assert.Equal(0, result.Figures.Single(f => f.Name == "checkout spans without k8s.deployment.name").Value);
        Assert.Equal(60, result.Figures.Single(f => f.Name == "fraud-score spans without k8s.deployment.name").Value);
    }

    private static CapturedSpan Span(ulong trace, ulong span, ulong parent) => new()
    {
        Resource = new CapturedResource { Backend = "dynatrace", ServiceName = "svc", Attributes = new Google.Protobuf.Collections.RepeatedField<KeyValue>(), Credential = CredentialFingerprint.None, ReceivedAt = DateTimeOffset.UnixEpoch },
        TraceId = trace,
        SpanId = span,
        ParentSpanId = parent,
        Name = "s",
    };
}
