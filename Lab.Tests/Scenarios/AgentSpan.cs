using System.Net;
using OtelLab.Tests.SampleServices;

namespace OtelLab.Tests.Scenarios;

/// <summary>A span as a stand-in agent collector received it: which pod/node took it and the connection's source address.</summary>
internal sealed record AgentSpan(ReceivedSpan Span, IPAddress Source, string CollectorPod, string Node, string Protocol)
{
    public override string ToString() => $"{Span} at={CollectorPod}@{Node} from={Source} over={Protocol}";
}
