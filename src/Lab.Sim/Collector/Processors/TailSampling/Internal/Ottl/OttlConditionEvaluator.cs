using System.Globalization;
using OtelLab.Sim.Collector.Traces;

namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// upstream: internal/sampling ottl.go — spans in order; for each span its <c>span</c> conditions, then each event's
/// <c>spanevent</c> conditions; Sampled at the first condition that holds. Each list is OR-ed (filterottl). An
/// evaluation error follows <c>error_mode</c>: <c>propagate</c> (also the default when unset, the default-error-mode
/// feature gate being off) makes the policy vote Error; <c>ignore</c> and <c>silent</c> count the condition as false.
/// Conditions are parsed when the policy is built (<see cref="OttlParser"/>); what the lab does not emulate is refused
/// there by name rather than evaluated wrongly.
/// </summary>
internal sealed class OttlConditionEvaluator : IPolicyEvaluator
{
    private readonly Func<OttlContext, bool>[] _span;
    private readonly Func<OttlContext, bool>[] _spanEvent;
    private readonly bool _propagate;

    public OttlConditionEvaluator(OttlConditionSettings settings)
    {
        if (settings.SpanConditions.Count == 0 && settings.SpanEventConditions.Count == 0)
        {
            throw new ArgumentException("expected at least one OTTL condition to filter on");
        }

        _span = [.. settings.SpanConditions.Select(c => Parse(c, spanEvent: false))];
        _spanEvent = [.. settings.SpanEventConditions.Select(c => Parse(c, spanEvent: true))];
        _propagate = settings.ErrorMode is "" or "propagate";
    }

    public SamplingDecision Evaluate(TraceId traceId, IReadOnlyList<TraceSpan> spans)
    {
        try
        {
            foreach (var span in spans)
            {
                if (AnyHolds(_span, new OttlContext(span)) || span.Events.Any(e => AnyHolds(_spanEvent, new OttlContext(span, e))))
                {
                    return SamplingDecision.Sampled;
                }
            }

            return SamplingDecision.NotSampled;
        }
        catch (OttlEvaluationException)
        {
            return SamplingDecision.Error;
        }
    }

    private bool AnyHolds(Func<OttlContext, bool>[] conditions, OttlContext context)
    {
        foreach (var condition in conditions)
        {
            try
            {
                if (condition(context))
                {
                    return true;
                }
            }
            catch (OttlEvaluationException) when (!_propagate)
            {
                // ignore / silent: the failing condition counts as false and the next one is tried.
            }
        }

        return false;
    }

    private static Func<OttlContext, bool> Parse(string condition, bool spanEvent)
    {
        try
        {
            return OttlParser.Parse(condition, spanEvent);
        }
        catch (OttlSyntaxException ex) when (ex.Unsupported)
        {
            throw new ArgumentException($"OTTL condition \"{condition}\": {ex.Message}", ex);
        }
        catch (OttlSyntaxException ex)
        {
            // pkg/ottl ParseConditions: "unable to parse OTTL condition ..." with the participle position line:column.
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"unable to parse OTTL condition \"{condition}\": 1:{ex.Position + 1}: {ex.Message}"), ex);
        }
    }
}
