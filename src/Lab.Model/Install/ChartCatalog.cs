using System.Text.Json.Nodes;

namespace OtelLab.Model.Install;

/// <summary>
/// The chart versions the lab knows, pinned in one place with where each fact was read. The guide installs
/// cert-manager v1.15.3 and opentelemetry-operator 0.74.2; it names no Vault chart version, so the lab pins one.
/// The k3s substrate installs exactly these (see <c>Lab.K3s</c>'s image catalogue for the images they run).
/// </summary>
public static class ChartCatalog
{
    public static PinnedChart CertManager { get; } = new()
    {
        Name = "cert-manager",
        Version = "v1.15.3",
        AppVersion = "v1.15.3",
        RepoName = "jetstack",
        RepoUrl = "https://charts.jetstack.io",
        Provenance = "cert-manager/cert-manager tag v1.15.3 (commit 0448418353269ce5ecbb4eaeb0f301c5dcbeb8de): deploy/crds/crd-*.yaml " +
            "(concatenated into the chart's templates/crds.yaml by make/manifests.mk; each rendered only with crds.enabled=true or the " +
            "older installCRDs=true), deploy/charts/cert-manager/templates/rbac.yaml, cainjector-rbac.yaml, webhook-rbac.yaml " +
            "(_helpers.tpl cert-manager.fullname, cainjector.fullname = <fullname>-cainjector, webhook.fullname = <fullname>-webhook), " +
            "values.yaml (copied verbatim into Install/Charts/cert-manager-v1.15.3/). The chart ships no values.schema.json at " +
            "v1.15.3 (added in v1.16.0 by \"enable Helm values.yaml jsonschema validation\"): Helm validates nothing, so an unknown " +
            "key is taken silently.",
        ShipsSchema = false,
        Crds =
        [
            new("certificaterequests.cert-manager.io", "cert-manager.io", "CertificateRequest", ["v1"]),
            new("certificates.cert-manager.io", "cert-manager.io", "Certificate", ["v1"]),
            new("challenges.acme.cert-manager.io", "acme.cert-manager.io", "Challenge", ["v1"]),
            new("clusterissuers.cert-manager.io", "cert-manager.io", "ClusterIssuer", ["v1"]),
            new("issuers.cert-manager.io", "cert-manager.io", "Issuer", ["v1"]),
            new("orders.acme.cert-manager.io", "acme.cert-manager.io", "Order", ["v1"]),
        ],
        ClusterRoles =
        [
            "{fullname}-cainjector", "{fullname}-controller-issuers", "{fullname}-controller-clusterissuers",
            "{fullname}-controller-certificates", "{fullname}-controller-orders", "{fullname}-controller-challenges",
            "{fullname}-controller-ingress-shim", "{fullname}-cluster-view", "{fullname}-view", "{fullname}-edit",
            "{fullname}-controller-approve:cert-manager-io", "{fullname}-controller-certificatesigningrequests",
            "{fullname}-webhook:subjectaccessreviews",
        ],
        ValuesResource = "cert-manager-v1.15.3/values.yaml",
        Images =
        [
            "quay.io/jetstack/cert-manager-controller:v1.15.3", "quay.io/jetstack/cert-manager-webhook:v1.15.3",
            "quay.io/jetstack/cert-manager-cainjector:v1.15.3", "quay.io/jetstack/cert-manager-startupapicheck:v1.15.3",
        ],
        InstallsCrds = values => HelmValues.IsTrue(values, "crds", "enabled") || HelmValues.IsTrue(values, "installCRDs"),
    };

    public static PinnedChart OpenTelemetryOperator { get; } = new()
    {
        Name = "opentelemetry-operator",
        Version = "0.74.2",
        AppVersion = "0.113.0",
        RepoName = "open-telemetry",
        RepoUrl = "https://open-telemetry.github.io/opentelemetry-helm-charts",
        Provenance = "open-telemetry/opentelemetry-helm-charts at f7704926b88c97e4adbf4e9966d95a74f08facd2, charts/opentelemetry-operator: " +
            "conf/crds/ (three CRDs, no TargetAllocator), templates/clusterrole.yaml (<fullname>-manager, -metrics, -proxy), " +
            "values.yaml and values.schema.json (copied verbatim into Install/Charts/opentelemetry-operator-0.74.2/); Chart.yaml appVersion 0.113.0.",
        Crds =
        [
            new("opampbridges.opentelemetry.io", "opentelemetry.io", "OpAMPBridge", ["v1alpha1"]),
            new("opentelemetrycollectors.opentelemetry.io", "opentelemetry.io", "OpenTelemetryCollector", ["v1alpha1", "v1beta1"]),
            new("instrumentations.opentelemetry.io", "opentelemetry.io", "Instrumentation", ["v1alpha1"]),
        ],
        ClusterRoles = ["{fullname}-manager", "{fullname}-metrics", "{fullname}-proxy"],
        // values.schema.json manager.featureGatesMap.properties (additionalProperties: false); the values.yaml comment's
        // camelCase names (targetAllocatorCR, …) are not among them, so the schema refuses those.
        FeatureGates =
        [
            "operator.targetallocator.mtls", "operator.collector.targetallocatorcr", "operator.sidecarcontainers.native",
            "operator.observability.prometheus", "operator.golang.flags", "operator.collector.default.config",
        ],
        Images =
        [
            "ghcr.io/open-telemetry/opentelemetry-operator/opentelemetry-operator:0.113.0", "quay.io/brancz/kube-rbac-proxy:v0.18.1",
        ],
        ShipsSchema = true,
        ValuesResource = "opentelemetry-operator-0.74.2/values.yaml",
        SchemaResource = "opentelemetry-operator-0.74.2/values.schema.json",
        // templates render conf/crds/ when crds.create (default true).
        InstallsCrds = values => !HelmValues.IsFalse(values, "crds", "create"),
    };

    public static PinnedChart Vault { get; } = new()
    {
        Name = "vault",
        Version = "0.28.1",
        AppVersion = "1.17.2",
        RepoName = "hashicorp",
        RepoUrl = "https://helm.releases.hashicorp.com",
        Provenance = "hashicorp/vault-helm tag v0.28.1 (commit 2b8e4929db12925a48e5ef6b1a4138cecbe8a6d0; Chart.yaml appVersion 1.17.2; " +
            "values.yaml server.image hashicorp/vault:1.17.2, injector.agentImage hashicorp/vault:1.17.2, injector.image " +
            "hashicorp/vault-k8s:1.4.2), templates/injector-clusterrole.yaml (rendered when the injector is enabled, the default) and " +
            "csi-clusterrole.yaml (only with csi.enabled=true); values.yaml and values.schema.json copied verbatim into " +
            "Install/Charts/vault-0.28.1/. No CRDs. The guide names no version: this is the release current with cert-manager v1.15.3.",
        // templates/csi-clusterrole.yaml renders only with csi.enabled=true (default false): not listed.
        ClusterRoles = ["{fullname}-agent-injector-clusterrole"],
        ShipsSchema = true,
        ValuesResource = "vault-0.28.1/values.yaml",
        SchemaResource = "vault-0.28.1/values.schema.json",
        Images = ["hashicorp/vault:1.17.2", "hashicorp/vault-k8s:1.4.2"],
    };

    public static IReadOnlyList<PinnedChart> All { get; } = [CertManager, OpenTelemetryOperator, Vault];

    public static PinnedChart? Find(string chartName, string version) => All.FirstOrDefault(c => c.Matches(chartName, version));

    /// <summary>The CRDs a cluster serves when a scenario declares no install: the guide's operator chart with its defaults.</summary>
    public static IReadOnlyList<ChartCrd> DefaultCrds => OpenTelemetryOperator.InstallsCrds(new JsonObject()) ? OpenTelemetryOperator.Crds : [];
}
