namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>One injectable language as upstream podmutator.go handles it: its annotations, CR block, name in events, flag.</summary>
internal sealed record AutoLanguage(
    string Block,
    string InjectAnnotation,
    string ContainersAnnotation,
    string DisplayName,
    Func<PodMutatorOptions, bool> Enabled)
{
    public static readonly AutoLanguage Java = new("java", InstrumentationAnnotations.InjectJava, InstrumentationAnnotations.JavaContainerNames, "Java", o => o.EnableJava);
    public static readonly AutoLanguage NodeJs = new("nodejs", InstrumentationAnnotations.InjectNodeJs, InstrumentationAnnotations.NodeJsContainerNames, "NodeJS", o => o.EnableNodeJs);
    public static readonly AutoLanguage Python = new("python", InstrumentationAnnotations.InjectPython, InstrumentationAnnotations.PythonContainerNames, "Python", o => o.EnablePython);
    public static readonly AutoLanguage DotNet = new("dotnet", InstrumentationAnnotations.InjectDotNet, InstrumentationAnnotations.DotNetContainerNames, ".NET", o => o.EnableDotNet);
    public static readonly AutoLanguage Go = new("go", InstrumentationAnnotations.InjectGo, InstrumentationAnnotations.GoContainerNames, "Go", o => o.EnableGo);
    public static readonly AutoLanguage ApacheHttpd = new("apacheHttpd", InstrumentationAnnotations.InjectApacheHttpd, InstrumentationAnnotations.ApacheHttpdContainerNames, "Apache HTTPD", o => o.EnableApacheHttpd);
    public static readonly AutoLanguage Nginx = new("nginx", InstrumentationAnnotations.InjectNginx, InstrumentationAnnotations.NginxContainerNames, "Nginx", o => o.EnableNginx);
    public static readonly AutoLanguage Sdk = new("sdk", InstrumentationAnnotations.InjectSdk, InstrumentationAnnotations.SdkContainerNames, "SDK", _ => true);

    /// <summary>upstream: Mutate reads the inject annotations in this order (and stops at the first error).</summary>
    public static readonly IReadOnlyList<AutoLanguage> SelectionOrder = [Java, NodeJs, Python, DotNet, Go, ApacheHttpd, Nginx, Sdk];

    /// <summary>upstream: setLanguageSpecificContainers and sdkInjector.inject walk the languages in this order.</summary>
    public static readonly IReadOnlyList<AutoLanguage> InjectionOrder = [Java, NodeJs, Python, DotNet, Go, ApacheHttpd, Nginx, Sdk];
}
