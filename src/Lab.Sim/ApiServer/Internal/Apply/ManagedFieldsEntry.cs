using System.Globalization;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.ApiServer.Internal.Apply;

/// <summary>One <c>metadata.managedFields</c> entry: who (manager, Apply or Update, API version) owns which fields.</summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public required string ApiVersion { get; init; }

    public string? Time { get; set; }

    public string? Subresource { get; init; }

    public required FieldSet Fields { get; set; }

    /// <summary>How conflict messages name the manager (managedfields/internal/conflict.go printManager; the time is never part of it).</summary>
    public string Printed =>
        $"\"{Manager}\"{(Subresource is null ? string.Empty : $" with subresource \"{Subresource}\"")}{(Operation == "Update" ? $" using {ApiVersion}" : string.Empty)}";

    public bool Is(string manager, string operation) => Manager == manager && Operation == operation && Subresource is null;

    public static List<ManagedFieldsEntry> Read(JsonObject document) =>
        (document["metadata"]?["managedFields"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(e => new ManagedFieldsEntry
            {
                Manager = (string?)e["manager"] ?? string.Empty,
                Operation = (string?)e["operation"] ?? "Update",
                ApiVersion = (string?)e["apiVersion"] ?? string.Empty,
                Time = (string?)e["time"],
                Subresource = (string?)e["subresource"],
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"] as JsonObject),
            })
            .ToList();

    /// <summary>Writes the entries with fields into the document (empty ones are dropped, as upstream drops them).</summary>
    public static void Write(JsonObject document, IEnumerable<ManagedFieldsEntry> entries)
    {
        var metadata = document["metadata"] as JsonObject ?? new JsonObject();
        document["metadata"] = metadata;
        var array = new JsonArray();
        foreach (var e in entries.Where(e => e.Fields.Count > 0))
        {
            var o = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (e.Subresource is not null)
            {
                o["subresource"] = e.Subresource;
            }

            array.Add(o);
        }

        metadata["managedFields"] = array;
    }

    public static string Timestamp(DateTimeOffset now) => now.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
