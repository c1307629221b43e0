using System.Text;
using System.Text.Json;
using OtelLab.Model.Install;

namespace OtelLab.K3s;

/// <summary>
/// A declared release as k3s's HelmChart custom resource (<c>helm.cattle.io/v1</c>), which k3s's helm-controller
/// installs from <c>/var/lib/rancher/k3s/server/manifests/</c> (k3s-io/helm-controller pkg/apis/helm.cattle.io/v1
/// types.go: chart, repo, version, targetNamespace, createNamespace, valuesContent, chartContent).
/// </summary>
public static class HelmChartManifest
{
    /// <summary>
    /// The HelmChart YAML. Values go in <c>valuesContent</c> as the JSON of Helm's own merge of the release's
    /// <c>--values</c> and <c>--set</c> (JSON is YAML), so lists, escapes and types survive exactly; the controller's
    /// <c>set:</c> map would retype them. With a chart tarball (air-gapped) it is embedded as base64
    /// <c>chartContent</c> and no repository is contacted.
    /// </summary>
    public static string Render(HelmRelease release, byte[]? chartTarball = null)
    {
        var values = HelmValues.UserValues(release);
        var yaml = new StringBuilder()
            .Append("apiVersion: helm.cattle.io/v1\n")
            .Append("kind: HelmChart\n")
            .Append("metadata:\n")
            .Append("  name: ").Append(Quote(release.Name)).Append('\n')
            .Append("  namespace: kube-system\n")
            .Append("spec:\n");
        if (chartTarball is null)
        {
            yaml.Append("  chart: ").Append(Quote(release.ChartName)).Append('\n');
            if (release.Repo is not null)
            {
                yaml.Append("  repo: ").Append(Quote(release.Repo)).Append('\n');
            }

            yaml.Append("  version: ").Append(Quote(release.Version)).Append('\n');
        }
        else
        {
            yaml.Append("  chartContent: ").Append(Convert.ToBase64String(chartTarball)).Append('\n');
        }

        yaml.Append("  targetNamespace: ").Append(Quote(release.Namespace)).Append('\n')
            .Append("  createNamespace: ").Append(release.CreateNamespace ? "true" : "false").Append('\n')
            .Append("  valuesContent: ").Append(JsonSerializer.Serialize(values.ToJsonString())).Append('\n');
        return yaml.ToString();
    }

    /// <summary>The file name the manifest gets in k3s's auto-deploy folder (applied in name order).</summary>
    public static string FileName(int index, HelmRelease release) => $"lab-{index:00}-helmchart-{release.Name}.yaml";

    // A JSON string is a valid double-quoted YAML scalar.
    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
