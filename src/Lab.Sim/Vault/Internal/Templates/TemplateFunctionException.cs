namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>Raised by a function; the executor reports it as <c>error calling NAME: MESSAGE</c>.</summary>
internal sealed class TemplateFunctionException : Exception
{
    public TemplateFunctionException()
    {
    }

    public TemplateFunctionException(string message)
        : base(message)
    {
    }

    public TemplateFunctionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
