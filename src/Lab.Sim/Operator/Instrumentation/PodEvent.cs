namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>A Kubernetes Event the webhook records on the pod (upstream: <c>Recorder.Event(pod, type, reason, message)</c>).</summary>
public sealed record PodEvent(string Type, string Reason, string Message);
