using OtelLab.Model;

namespace OtelLab.Scenarios;

/// <summary>The scenario or its manifests cannot be used (broken YAML, missing folder): each error has file:line and a fix.</summary>
public sealed class ScenarioInputException : Exception
{
    public ScenarioInputException(IReadOnlyList<ManifestError> errors)
        : base($"{errors.Count} problem(s) make the input unusable: " + string.Join("; ", errors.Select(e => $"{e.Location}: {e.Message}")))
    {
        Errors = errors;
    }

    public ScenarioInputException()
        : this([])
    {
    }

    public ScenarioInputException(string message)
        : this([new ManifestError(SourceLocation.None, message, null)])
    {
    }

    public ScenarioInputException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [new ManifestError(SourceLocation.None, message, null)];
    }

    public IReadOnlyList<ManifestError> Errors { get; }
}
