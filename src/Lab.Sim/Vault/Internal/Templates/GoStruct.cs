namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>A Go struct value: fields in declaration order, looked up by exact (case-sensitive) name.</summary>
internal sealed record GoStruct(string TypeName, IReadOnlyList<KeyValuePair<string, object?>> Fields)
{
    public bool TryGetField(string name, out object? value)
    {
        foreach (var (k, v) in Fields)
        {
            if (k == name)
            {
                value = v;
                return true;
            }
        }

        value = null;
        return false;
    }
}
