namespace OtelLab.Sim.Operator.Instrumentation;

/// <summary>The pod/namespace annotations the pod-mutation webhook reads (upstream internal/instrumentation/annotation.go).</summary>
public static class InstrumentationAnnotations
{
    public const string ContainerNames = "instrumentation.opentelemetry.io/container-names";
    public const string InjectJava = "instrumentation.opentelemetry.io/inject-java";
    public const string JavaContainerNames = "instrumentation.opentelemetry.io/java-container-names";
    public const string InjectNodeJs = "instrumentation.opentelemetry.io/inject-nodejs";
    public const string NodeJsContainerNames = "instrumentation.opentelemetry.io/nodejs-container-names";
    public const string InjectPython = "instrumentation.opentelemetry.io/inject-python";
    public const string PythonContainerNames = "instrumentation.opentelemetry.io/python-container-names";
    public const string PythonPlatform = "instrumentation.opentelemetry.io/otel-python-platform";
    public const string InjectDotNet = "instrumentation.opentelemetry.io/inject-dotnet";
    public const string DotNetRuntime = "instrumentation.opentelemetry.io/otel-dotnet-auto-runtime";
    public const string DotNetContainerNames = "instrumentation.opentelemetry.io/dotnet-container-names";
    public const string InjectGo = "instrumentation.opentelemetry.io/inject-go";
    public const string GoContainerNames = "instrumentation.opentelemetry.io/go-container-names";
    public const string InjectSdk = "instrumentation.opentelemetry.io/inject-sdk";
    public const string SdkContainerNames = "instrumentation.opentelemetry.io/sdk-container-names";
    public const string InjectApacheHttpd = "instrumentation.opentelemetry.io/inject-apache-httpd";
    public const string ApacheHttpdContainerNames = "instrumentation.opentelemetry.io/apache-httpd-container-names";
    public const string InjectNginx = "instrumentation.opentelemetry.io/inject-nginx";

    /// <summary>Sic: upstream's key for nginx container names carries the <c>inject-</c> prefix.</summary>
    public const string NginxContainerNames = "instrumentation.opentelemetry.io/inject-nginx-container-names";

    /// <summary>upstream: pkg/constants ResourceAttributeAnnotationPrefix — <c>resource.opentelemetry.io/&lt;attribute&gt;</c>.</summary>
    public const string ResourceAttributePrefix = "resource.opentelemetry.io/";
}
