using System.Text.RegularExpressions;
using OtelLab.Lint.Internal;
using OtelLab.Model.Crds;

namespace OtelLab.Lint.Rules;

/// <summary>An Instrumentation endpoint with a <c>$(VAR)</c> that will not be defined in the instrumented container.</summary>
public sealed partial class InstrumentationEndpointVariableRule : LintRule
{
    // upstream: operator pkg/instrumentation/sdk.go prepends these two to every instrumented container.
    internal static readonly string[] OperatorDefined = ["OTEL_NODE_IP", "OTEL_POD_IP"];

    public override string Id => "instrumentation-endpoint-undefined-variable";

    public override string Title => "Instrumentation endpoint uses a variable the container does not define";

    public override Severity Severity => Severity.Error;

    public override string Why =>
        "The endpoint is copied verbatim into OTEL_EXPORTER_OTLP_ENDPOINT and the kubelet expands $(VAR) only when VAR is defined earlier in " +
        "the same container's env; otherwise the text stays literal and the agent exports to a host that does not resolve. The operator " +
        "defines OTEL_NODE_IP and OTEL_POD_IP, not K8S_NODE_NAME (opentelemetry-operator pkg/instrumentation/sdk.go; " +
        "https://kubernetes.io/docs/tasks/inject-data-application/define-interdependent-environment-variables/).";

    [GeneratedRegex(@"\$\((?<name>[A-Za-z_][A-Za-z0-9_]*)\)")]
    internal static partial Regex VariablePattern();

    public override IEnumerable<Finding> Check(LintContext context)
    {
        var targets = InjectionTarget.From(context).Where(t => t.Instrumentation is not null).ToList();
        foreach (var (m, inst) in context.Manifests.Typed<Instrumentation>())
        {
            if (inst.Endpoint is null)
            {
                continue;
            }

            foreach (Match match in VariablePattern().Matches(inst.Endpoint))
            {
                var name = match.Groups["name"].Value;
                if (OperatorDefined.Contains(name) || inst.Env.Any(e => e.Name == name))
                {
                    continue;
                }

                var users = targets.Where(t => t.Instrumentation == inst).ToList();
                var undefinedIn = users.Where(t => !(t.Workload.Template.Spec?.Containers?.FirstOrDefault()?.Env?.Any(e => e.Name == name) ?? false)).ToList();
                if (users.Count > 0 && undefinedIn.Count == 0)
                {
                    continue;
                }

                var evidence = new List<string> { $"spec.exporter.endpoint = {inst.Endpoint}", $"the webhook defines {string.Join(" and ", OperatorDefined)} before it" };
                evidence.AddRange(undefinedIn.Select(t =>
                    $"{t.Workload.Manifest.Display} (inject-{t.Language}) defines no {name}: its agent gets OTEL_EXPORTER_OTLP_ENDPOINT={inst.Endpoint} literally"));
                yield return Create(m.Display, inst.EndpointLocation,
                    $"{m.Display}: endpoint {inst.Endpoint} uses $({name}), which is not defined in the instrumented containers: " +
                    "instrumented pods will export to an unresolvable host and emit zero spans",
                    $"use http://$(OTEL_NODE_IP):{PortOf(inst.Endpoint)} (defined by the operator) and expose that port on the agent DaemonSet as a hostPort, " +
                    "or point at the agent Service",
                    evidence);
            }
        }
    }

    internal static int PortOf(string endpoint)
    {
        var m = Regex.Match(endpoint, @":(?<port>\d+)(/|$)");
        return m.Success ? int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture)
            : endpoint.StartsWith("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
    }
}
