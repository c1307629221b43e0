namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>A parse or execution error, worded like Go's text/template (<c>template: NAME:LINE: …</c>).</summary>
internal sealed class TemplateException : Exception
{
    public TemplateException()
    {
    }

    public TemplateException(string message)
        : base(message)
    {
    }

    public TemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
