namespace OtelLab.Sim.Collector.Processors.TailSampling;

/// <summary><c>string_attribute:</c> — upstream config.go StringAttributeCfg.</summary>
public sealed record StringAttributeSettings(
    string Key,
    IReadOnlyList<string> Values,
    bool EnabledRegexMatching = false,
    int CacheMaxSize = 0,
    bool InvertMatch = false)
{
    public static StringAttributeSettings None { get; } = new(string.Empty, []);
}
