namespace OtelLab.Lint.Upgrades;

/// <summary>What <c>lint --upgrade-to</c> moves to: a collector image tag (<c>0.113.0</c>) or the operator (<c>operator:0.110.0</c>).</summary>
public sealed record UpgradeTarget(string Component, Version Version)
{
    public const string Accepted = "a collector version such as 0.113.0 (the OpenTelemetryCollector images' tag) or operator:0.110.0";

    public static bool TryParse(string text, out UpgradeTarget? target, out string error)
    {
        target = null;
        error = "";
        var (component, version) = text.StartsWith("operator:", StringComparison.Ordinal) ? ("operator", text["operator:".Length..]) : ("collector", text);
        if (!Version.TryParse(version.TrimStart('v'), out var parsed))
        {
            error = $"--upgrade-to {text}: '{version}' is not a version; give {Accepted}";
            return false;
        }

        target = new UpgradeTarget(component, parsed);
        return true;
    }

    public override string ToString() => Component == "operator" ? $"operator {Version}" : Version.ToString();
}
