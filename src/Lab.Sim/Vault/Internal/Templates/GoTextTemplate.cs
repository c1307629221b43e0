namespace OtelLab.Sim.Vault.Internal.Templates;

/// <summary>
/// A parsed Go text/template — the subset Vault Agent templates use in practice: text with <c>{{- -}}</c> trim
/// markers, <c>{{ .Data.data.key }}</c>, <c>with</c>/<c>if</c>/<c>range</c> (with <c>else</c>), variables,
/// pipelines and a small function set. Named like consul-template names its templates (empty), so error texts
/// read <c>template: :LINE: …</c> as they do in the agent's log.
/// </summary>
internal sealed class GoTextTemplate
{
    private readonly string _name;
    private readonly IReadOnlyList<TemplateNode> _nodes;

    private GoTextTemplate(string name, IReadOnlyList<TemplateNode> nodes)
    {
        _name = name;
        _nodes = nodes;
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="extraFunctions"/> are defined besides the builtins.</summary>
    /// <exception cref="TemplateException">On a syntax error or an undefined function.</exception>
    public static GoTextTemplate Parse(string text, IEnumerable<string> extraFunctions, string name = "")
    {
        var functions = new HashSet<string>(TemplateFunctions.Builtins.Keys.Concat(extraFunctions), StringComparer.Ordinal);
        var items = new TemplateLexer(name, text).Lex();
        return new GoTextTemplate(name, new TemplateParser(name, items, functions).Parse());
    }

    /// <exception cref="TemplateException">On an execution error.</exception>
    public string Execute(object? data, IReadOnlyDictionary<string, TemplateFunction> extraFunctions)
    {
        var functions = new Dictionary<string, TemplateFunction>(TemplateFunctions.Builtins, StringComparer.Ordinal);
        foreach (var (key, function) in extraFunctions)
        {
            functions[key] = function;
        }

        return new TemplateExecutor(_name, functions).Execute(_nodes, data);
    }
}
