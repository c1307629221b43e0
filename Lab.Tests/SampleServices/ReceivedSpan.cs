namespace OtelLab.Tests.SampleServices;

/// <summary>One span as the in-test OTLP receiver decoded it (ids as lowercase hex, "" when absent).</summary>
internal sealed record ReceivedSpan(
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string Name,
    int Kind,
    int StatusCode,
    IReadOnlyDictionary<string, string> Resource,
    IReadOnlyDictionary<string, string> Attributes,
    string Encoding)
{
    public const int KindServer = 2;
    public const int KindClient = 3;
    public const int StatusError = 2;

    public string Service => Resource.GetValueOrDefault("service.name", string.Empty);

    public string KindName => Kind switch { KindServer => "SERVER", KindClient => "CLIENT", _ => Kind.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    public override string ToString() =>
        $"trace={TraceId} span={SpanId} parent={(ParentSpanId.Length == 0 ? "-" : ParentSpanId)} service={Service} name=\"{Name}\" kind={KindName} status={StatusCode} via={Encoding}";
}
