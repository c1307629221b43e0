namespace OtelLab.Backends.Hosting;

/// <summary>The lab's JSON query API every mock backend serves on its own base URL (for people and the dashboard).</summary>
public static class LabQueryApi
{
    public static IReadOnlyList<string> Paths { get; } =
    [
        "/lab/summary", "/lab/traces/{traceId}", "/lab/spans?service=&limit=", "/lab/metrics?name=&limit=", "/lab/logs?limit=",
        "/lab/rejections", "/lab/credentials", "/lab/export/{traces|metrics|logs}", "/lab/faults",
    ];
}
