namespace OtelLab.Model;

internal static class Placeholder;
