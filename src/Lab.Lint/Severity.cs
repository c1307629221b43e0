namespace OtelLab.Lint;

/// <summary>How much a finding matters; maps to SARIF levels note / warning / error.</summary>
public enum Severity
{
    Note = 0,
    Warning = 1,
    Error = 2,
}
