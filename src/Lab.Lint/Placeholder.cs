namespace OtelLab.Lint;

internal static class Placeholder;
