namespace OtelLab.Sim.TargetAllocation.Http;

/// <summary>One HTTP answer of the TA API: status, content type (null for none) and body.</summary>
public sealed record TargetAllocatorApiResponse(int StatusCode, string? ContentType, string Body);
