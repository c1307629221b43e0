namespace OtelLab.Sim.Relabeling;

/// <summary>
/// One <c>relabel_config</c> (upstream: prometheus model/relabel/relabel.go Config). Defaults are upstream's
/// <c>DefaultRelabelConfig</c>: action replace, separator ";", regex <c>(.*)</c>, replacement <c>$1</c>.
/// </summary>
public sealed record RelabelConfig
{
    public IReadOnlyList<string> SourceLabels { get; init; } = [];

    public string Separator { get; init; } = ";";

    /// <summary>The regex; <see cref="RelabelRegex.Default"/> when the config does not set one.</summary>
    public RelabelRegex Regex { get; init; } = RelabelRegex.Default;

    public ulong Modulus { get; init; }

    public string TargetLabel { get; init; } = "";

    public string Replacement { get; init; } = "$1";

    public RelabelAction Action { get; init; } = RelabelAction.Replace;

    /// <summary>The action's YAML spelling (<c>replace</c>, <c>keepequal</c>, <c>hashmod</c>, …).</summary>
    public string ActionName => ActionNames[Action];

    internal static readonly IReadOnlyDictionary<RelabelAction, string> ActionNames = new Dictionary<RelabelAction, string>
    {
        [RelabelAction.Replace] = "replace",
        [RelabelAction.Keep] = "keep",
        [RelabelAction.Drop] = "drop",
        [RelabelAction.KeepEqual] = "keepequal",
        [RelabelAction.DropEqual] = "dropequal",
        [RelabelAction.HashMod] = "hashmod",
        [RelabelAction.LabelMap] = "labelmap",
        [RelabelAction.LabelDrop] = "labeldrop",
        [RelabelAction.LabelKeep] = "labelkeep",
        [RelabelAction.Lowercase] = "lowercase",
        [RelabelAction.Uppercase] = "uppercase",
    };

    /// <summary>Parses an action name case-insensitively, as upstream's UnmarshalYAML does; throws on an unknown one.</summary>
    public static RelabelAction ParseAction(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var (action, spelling) in ActionNames)
        {
            if (string.Equals(spelling, name, StringComparison.OrdinalIgnoreCase))
            {
                return action;
            }
        }

        throw new ArgumentException($"unknown relabel action \"{name}\"", nameof(name));
    }

    /// <summary>Checks the config like upstream <c>Config.Validate</c>; returns the upstream message, or null when valid.</summary>
    public string? Validate()
    {
        var act = ActionName;
        if (Modulus == 0 && Action == RelabelAction.HashMod)
        {
            return "relabel configuration for hashmod requires non-zero modulus";
        }

        if (Action is RelabelAction.Replace or RelabelAction.HashMod or RelabelAction.Lowercase or RelabelAction.Uppercase
                or RelabelAction.KeepEqual or RelabelAction.DropEqual && TargetLabel.Length == 0)
        {
            return $"relabel configuration for {act} action requires 'target_label' value";
        }

        var hasVariable = TargetLabel.Contains('$', StringComparison.Ordinal);
        if (Action == RelabelAction.Replace && !hasVariable && !Relabeler.IsValidLabelName(TargetLabel))
        {
            return $"\"{TargetLabel}\" is invalid 'target_label' for {act} action";
        }

        if (Action is RelabelAction.Lowercase or RelabelAction.Uppercase or RelabelAction.KeepEqual or RelabelAction.DropEqual)
        {
            if (!Relabeler.IsValidLabelName(TargetLabel))
            {
                return $"\"{TargetLabel}\" is invalid 'target_label' for {act} action";
            }

            if (Replacement != "$1")
            {
                return $"'replacement' can not be set for {act} action";
            }
        }

        if (Action == RelabelAction.HashMod && !Relabeler.IsValidLabelName(TargetLabel))
        {
            return $"\"{TargetLabel}\" is invalid 'target_label' for {act} action";
        }

        if (Action is RelabelAction.DropEqual or RelabelAction.KeepEqual
            && (!ReferenceEquals(Regex, RelabelRegex.Default) || Modulus != 0 || Separator != ";" || Replacement != "$1"))
        {
            return $"{act} action requires only 'source_labels' and `target_label`, and no other fields";
        }

        if (Action is RelabelAction.LabelDrop or RelabelAction.LabelKeep
            && (SourceLabels.Count > 0 || TargetLabel.Length > 0 || Modulus != 0 || Separator != ";" || Replacement != "$1"))
        {
            return $"{act} action requires only 'regex', and no other fields";
        }

        return null;
    }
}
