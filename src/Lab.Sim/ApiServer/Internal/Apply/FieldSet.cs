using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Apply;

/// <summary>
/// A set of field paths in the FieldsV1 element form (<c>f:spec</c>, <c>k:{"name":"c"}</c>, <c>i:0</c>), the unit
/// server-side apply tracks ownership in. upstream: structured-merge-diff fieldpath (Set, PathElement) and
/// apimachinery pkg/util/managedfields/internal/fields.go (FieldsV1 ⇄ Set: a node that is both a member and a parent
/// carries <c>".": {}</c>).
/// </summary>
internal sealed class FieldSet
{
    private const char Separator = '\n';

    private readonly HashSet<string> _paths;

    public FieldSet(IEnumerable<string>? paths = null) => _paths = new HashSet<string>(paths ?? [], StringComparer.Ordinal);

    public int Count => _paths.Count;

    public IEnumerable<string> Paths => _paths;

    public static string Join(string parent, string element) => parent.Length == 0 ? element : parent + Separator + element;

    public static string[] Elements(string path) => path.Split(Separator);

    public bool Contains(string path) => _paths.Contains(path);

    public void Add(string path) => _paths.Add(path);

    public void Remove(string path) => _paths.Remove(path);

    public FieldSet Except(FieldSet other) => new(_paths.Where(p => !other.Contains(p)));

    public bool SetEquals(FieldSet other) => _paths.SetEquals(other._paths);

    /// <summary><c>.spec.template.spec.containers[name="c"].image</c>: how conflict messages print a path (fieldpath.Path.String).</summary>
    public static string Display(string path) => string.Concat(Elements(path).Select(e => e[..2] switch
    {
        "f:" => "." + e[2..],
        "k:" => "[" + string.Join(",", ((JsonObject)JsonNode.Parse(e[2..])!).Select(kv => $"{kv.Key}={kv.Value!.ToJsonString()}")) + "]",
        "v:" => "[=" + e[2..] + "]",
        "i:" => "[" + e[2..] + "]",
        _ => e,
    }));

    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in _paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in Elements(path))
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                node = child;
            }
        }

        MarkMembers(root, string.Empty);
        return root;
    }

    public static FieldSet FromFieldsV1(JsonObject? fields)
    {
        var set = new FieldSet();
        if (fields is not null)
        {
            Collect(fields, string.Empty, set);
        }

        return set;
    }

    private void MarkMembers(JsonObject node, string path)
    {
        foreach (var (key, value) in node.ToList())
        {
            var child = Join(path, key);
            if (value is JsonObject o && o.Count > 0)
            {
                MarkMembers(o, child);
                if (_paths.Contains(child))
                {
                    // the "." entry goes first, as upstream serialises it
                    var entries = o.ToList();
                    o.Clear();
                    o["."] = new JsonObject();
                    foreach (var (k, v) in entries)
                    {
                        o[k] = v;
                    }
                }
            }
        }
    }

    private static void Collect(JsonObject node, string path, FieldSet set)
    {
        foreach (var (key, value) in node)
        {
            if (key == ".")
            {
                set.Add(path);
                continue;
            }

            var child = Join(path, key);
            if (value is JsonObject o && o.Count > 0)
            {
                Collect(o, child, set);
            }
            else
            {
                set.Add(child);
            }
        }
    }
}
