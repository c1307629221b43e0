namespace OtelLab.Scenarios.Checks;

/// <summary>One measured figure a check bases its verdict on (reports chart them).</summary>
public sealed record CheckFigure(string Name, double Value, string Unit = "");
