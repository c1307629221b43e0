using System.Collections.Concurrent;

namespace OtelLab.Backends.Capture.Internal;

/// <summary>
/// A bounded intern pool: returns one shared instance per distinct string while it holds fewer than
/// <c>capacity</c> strings, then hands strings back unchanged (high-cardinality names must not grow memory).
/// </summary>
internal sealed class StringPool(int capacity)
{
    private readonly ConcurrentDictionary<string, string> _strings = new(StringComparer.Ordinal);

    public string Intern(string value)
    {
        if (_strings.TryGetValue(value, out var shared))
        {
            return shared;
        }

        return _strings.Count < capacity ? _strings.GetOrAdd(value, value) : value;
    }
}
