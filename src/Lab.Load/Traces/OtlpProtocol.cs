namespace OtelLab.Load.Traces;

/// <summary>How spans are sent: OTLP/gRPC (<c>TraceService/Export</c>) or OTLP/HTTP protobuf (<c>POST /v1/traces</c>).</summary>
public enum OtlpProtocol
{
    Grpc,
    HttpProtobuf,
}
