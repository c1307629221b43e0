namespace OtelLab.Sim.ApiServer.Internal;

/// <summary>A Table column definition (meta.k8s.io/v1 TableColumnDefinition); priority 1 shows only with <c>-o wide</c>.</summary>
internal sealed record TableColumn(string Name, string Type, string Format = "", string Description = "", int Priority = 0);
