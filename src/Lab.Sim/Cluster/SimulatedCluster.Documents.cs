using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;

namespace OtelLab.Sim.Cluster;

/// <summary>
/// The documents custom resources were submitted as. The lab's CR models keep only what the sim uses, so the API
/// server returns a CR as submitted (its spec) for as long as the stored model is the one decoded from that document;
/// once anything stores another model, the document no longer applies and the model is rendered instead.
/// </summary>
public sealed partial class SimulatedCluster
{
    private readonly ConditionalWeakTable<object, JsonObject> _documents = new();

    /// <summary>Records <paramref name="document"/> as the source of the stored CR model <paramref name="model"/>.</summary>
    internal void RememberDocument(object model, JsonObject document) => _documents.AddOrUpdate(model, document);

    /// <summary>The document <paramref name="model"/> was decoded from, or null.</summary>
    internal JsonObject? DocumentOf(object model) => _documents.TryGetValue(model, out var d) ? d : null;
}
