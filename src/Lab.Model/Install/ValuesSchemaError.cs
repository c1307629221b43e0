namespace OtelLab.Model.Install;

/// <summary>
/// One refusal of values.schema.json: the value's path (<c>manager.featureGatesMap</c>, empty for the root) and the
/// message as Helm prints it.
/// </summary>
public sealed record ValuesSchemaError(IReadOnlyList<string> Path, string Message)
{
    /// <summary>The key the user got wrong: the refused property for additionalProperties, else <see cref="Path"/>.</summary>
    public IReadOnlyList<string> Key { get; init; } = Path;

    /// <summary>The key in <c>--set</c> form, e.g. <c>targetAllocator</c> or <c>manager.featureGates</c>.</summary>
    public string KeyDisplay => Key.Count == 0 ? "(root)" : string.Join('.', Key);

    /// <summary>The field as gojsonschema names it: <c>(root)</c> or the dotted path.</summary>
    public string Field => Path.Count == 0 ? "(root)" : string.Join('.', Path);

    /// <summary>The line Helm prints under the chart's name: <c>- (root): Additional property x is not allowed</c>.</summary>
    public override string ToString() => $"{Field}: {Message}";
}
