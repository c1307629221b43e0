using System.Text.RegularExpressions;
using OtelLab.Model.Rbac;

namespace OtelLab.AppHost.Commands;

/// <summary>
/// <c>up --kubeconfig PATH</c> and <c>--kubeconfig-service-account NAMESPACE/NAME</c>: where the lab writes its
/// kubeconfig and which ServiceAccounts get a context in it; a bad value is a usage error saying how to write it.
/// </summary>
internal static partial class KubeconfigArguments
{
    /// <summary>The checked values, or null after printing what is wrong to <paramref name="stderr"/>.</summary>
    public static async Task<(string? Path, IReadOnlyList<RbacSubject> ServiceAccounts)?> ReadAsync(string? path, IReadOnlyList<string> serviceAccounts, TextWriter stderr)
    {
        if (path is not null && (path.Length == 0 || Directory.Exists(path)))
        {
            await stderr.WriteLineAsync($"error: --kubeconfig '{path}': {(path.Length == 0 ? "is empty" : "is a folder")}; give a file path, e.g. --kubeconfig ~/.kube/otel-lab.yaml").ConfigureAwait(false);
            return null;
        }

        var subjects = new List<RbacSubject>();
        foreach (var value in serviceAccounts)
        {
            var parts = value.Split('/');
            if (parts is not [var ns, var name] || !Dns1123Label().IsMatch(ns) || !Dns1123Subdomain().IsMatch(name))
            {
                await stderr.WriteLineAsync($"error: --kubeconfig-service-account '{value}': expected NAMESPACE/NAME (lower-case DNS names), e.g. --kubeconfig-service-account observability/otel-prometheus-targetallocator").ConfigureAwait(false);
                return null;
            }

            subjects.Add(new RbacSubject(ns, name));
        }

        return (path is null ? null : Path.GetFullPath(path), subjects.Distinct().ToList());
    }

    // upstream: apimachinery pkg/util/validation/validation.go IsDNS1123Label (namespaces), IsDNS1123Subdomain (ServiceAccount names).
    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Dns1123Subdomain();
}
