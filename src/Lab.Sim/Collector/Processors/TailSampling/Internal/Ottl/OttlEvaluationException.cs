namespace OtelLab.Sim.Collector.Processors.TailSampling.Internal.Ottl;

/// <summary>
/// A condition that failed at evaluation time (OTTL returns an error); caught by the condition sequence, which applies
/// <c>error_mode</c>. Never leaves the policy.
/// </summary>
internal sealed class OttlEvaluationException : Exception
{
    public OttlEvaluationException()
    {
    }

    public OttlEvaluationException(string message)
        : base(message)
    {
    }

    public OttlEvaluationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
