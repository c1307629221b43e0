using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Apply;

/// <summary>
/// Field ownership as the API server's field manager keeps it: an Apply makes its manager own exactly the fields it
/// applied, removes the fields it applied before and no longer does (unless someone else owns them), and fails with
/// 409 Conflict when it would change a field another manager owns (unless forced, which takes the field over); an
/// Update makes its manager own the fields it changed and takes them from everyone else.
/// upstream: structured-merge-diff merge/update.go (Updater.Apply, Updater.Update), apimachinery
/// pkg/util/managedfields/internal/{fieldmanager,conflict}.go.
/// </summary>
internal static class ServerSideApply
{
    /// <summary>The object after applying <paramref name="applied"/> to <paramref name="live"/>, with managedFields updated.</summary>
    public static JsonObject Apply(JsonObject live, JsonObject applied, string manager, bool force, string apiVersion, string now)
    {
        var entries = ManagedFieldsEntry.Read(live);
        var fields = StructuredObject.FieldsOf(applied);
        var mine = entries.FirstOrDefault(e => e.Is(manager, "Apply"));
        var others = entries.Where(e => e != mine).ToList();
        var result = (JsonObject)live.DeepClone();

        if (mine is not null)
        {
            // Fields this manager applied before and no longer applies are removed, unless another manager owns them.
            foreach (var dropped in mine.Fields.Except(fields).Paths.OrderByDescending(p => p.Length))
            {
                if (!others.Any(o => o.Fields.Contains(dropped)))
                {
                    StructuredObject.Remove(result, dropped);
                }
            }
        }

        var appliedContent = (JsonObject)applied.DeepClone();
        appliedContent.Remove("metadata");
        StructuredObject.Merge(result, appliedContent);
        if (applied["metadata"] is JsonObject meta)
        {
            var resultMeta = result["metadata"] as JsonObject ?? new JsonObject();
            result["metadata"] = resultMeta;
            foreach (var part in new[] { "labels", "annotations" })
            {
                if (meta[part] is JsonObject m)
                {
                    resultMeta[part] ??= new JsonObject();
                    StructuredObject.Merge((JsonObject)resultMeta[part]!, m);
                }
            }
        }

        var changed = fields.Paths.Where(p => !JsonNode.DeepEquals(StructuredObject.ValueAt(live, p), StructuredObject.ValueAt(result, p))).ToList();
        var conflicts = others
            .SelectMany(o => changed.Where(o.Fields.Contains).Select(p => (Entry: o, Path: p)))
            .Where(c => StructuredObject.ValueAt(result, c.Path) is not JsonObject)
            .ToList();
        if (conflicts.Count > 0 && !force)
        {
            throw new StatusException(Conflict(conflicts));
        }

        foreach (var (entry, path) in conflicts)
        {
            entry.Fields.Remove(path);
        }

        if (mine is null)
        {
            mine = new ManagedFieldsEntry { Manager = manager, Operation = "Apply", ApiVersion = apiVersion, Time = now, Fields = fields };
            entries.Add(mine);
        }
        else if (!mine.Fields.SetEquals(fields) || changed.Count > 0)
        {
            mine.Fields = fields;
            mine.Time = now;
        }

        ManagedFieldsEntry.Write(result, entries);
        return result;
    }

    /// <summary>Records an Update by <paramref name="manager"/> (create, update, patch) in <paramref name="updated"/>'s managedFields.</summary>
    public static void Update(JsonObject? old, JsonObject updated, string manager, string apiVersion, string now)
    {
        var entries = old is null ? ManagedFieldsEntry.Read(updated) : ManagedFieldsEntry.Read(old);
        var before = old is null ? new FieldSet() : StructuredObject.FieldsOf(old);
        var after = StructuredObject.FieldsOf(updated);
        var changed = after.Paths.Where(p => !before.Contains(p) || !JsonNode.DeepEquals(StructuredObject.ValueAt(old, p), StructuredObject.ValueAt(updated, p))).ToList();
        var removed = before.Except(after);
        foreach (var entry in entries)
        {
            foreach (var path in changed.Concat(removed.Paths))
            {
                entry.Fields.Remove(path);
            }
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.Is(manager, "Update"));
            if (mine is null)
            {
                mine = new ManagedFieldsEntry { Manager = manager, Operation = "Update", ApiVersion = apiVersion, Fields = new FieldSet() };
                entries.Add(mine);
            }

            foreach (var path in changed)
            {
                mine.Fields.Add(path);
            }

            mine.Time = now;
        }

        ManagedFieldsEntry.Write(updated, entries);
    }

    /// <summary>upstream: managedfields/internal/conflict.go NewConflictError — 409 Conflict, one FieldManagerConflict cause per field.</summary>
    private static JsonObject Conflict(List<(ManagedFieldsEntry Entry, string Path)> conflicts)
    {
        string message;
        if (conflicts.Count == 1)
        {
            message = $"Apply failed with 1 conflict: conflict with {conflicts[0].Entry.Printed}: {FieldSet.Display(conflicts[0].Path)}";
        }
        else
        {
            var lines = conflicts
                .GroupBy(c => c.Entry.Printed)
                .OrderBy(g => g.First().Entry.Manager, StringComparer.Ordinal)
                .SelectMany(g => new[] { $"conflicts with {g.Key}:" }.Concat(g.Select(c => $"- {FieldSet.Display(c.Path)}")));
            message = $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
        }

        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = "Conflict",
            ["details"] = new JsonObject
            {
                ["causes"] = new JsonArray([.. conflicts.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = "FieldManagerConflict",
                    ["message"] = $"conflict with {c.Entry.Printed}",
                    ["field"] = FieldSet.Display(c.Path),
                })]),
            },
            ["code"] = 409,
        };
    }
}
