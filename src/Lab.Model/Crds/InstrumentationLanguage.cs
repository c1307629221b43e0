using k8s.Models;

namespace OtelLab.Model.Crds;

/// <summary>A language block of an Instrumentation (<c>java</c>, <c>python</c>, <c>nodejs</c>, …).</summary>
public sealed record InstrumentationLanguage(string Language, string? Image, IReadOnlyList<V1EnvVar> Env);
