using System.Security.Cryptography.X509Certificates;
using OtelLab.K3s;
using OtelLab.K3s.InCluster;
using OtelLab.Scenarios.Definition;
using OtelLab.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Tests.K3s.InCluster;

/// <summary>What a k3s run deploys so the vendors' endpoints reach the in-cluster mock backends, rendered without an engine.</summary>
[Trait("Category", "Unit")]
public sealed class InClusterBackendsManifestsTests
{
    private static readonly InClusterBackends PaymentsBackends = new()
    {
        DynatraceHosts = ["abc12345.live.dynatrace.com"],
        DatadogHosts = new BackendsSpec().DatadogHosts,
    };

    private static YamlMappingNode[] Documents(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    private static string At(YamlNode node, params object[] path)
    {
        foreach (var step in path)
        {
            node = step is int i ? ((YamlSequenceNode)node).Children[i] : ((YamlMappingNode)node).Children[new YamlScalarNode((string)step)];
        }

        return node.ToString();
    }

    [Fact]
    public void The_coredns_custom_configmap_answers_each_vendor_host_with_its_backends_service()
    {
        var map = Assert.Single(Documents(InClusterBackendsManifests.CoreDnsCustom(PaymentsBackends)));

        Assert.Equal(["ConfigMap", "coredns-custom", "kube-system"], [At(map, "kind"), At(map, "metadata", "name"), At(map, "metadata", "namespace")]);
        var data = (YamlMappingNode)map.Children[new YamlScalarNode("data")];
        var key = Assert.Single(data.Children).Key.ToString();
        Assert.EndsWith(".override", key, StringComparison.Ordinal); // imported inside k3s's .:53 server block
        Assert.Equal(
            """
            rewrite stop {
              name regex ^abc12345\.live\.dynatrace\.com\.$ dynatrace.lab-backends.svc.cluster.local.
              answer name ^dynatrace\.lab-backends\.svc\.cluster\.local\.$ abc12345.live.dynatrace.com.
            }
            rewrite stop {
              name regex ^api\.datadoghq\.com\.$ datadog.lab-backends.svc.cluster.local.
              answer name ^datadog\.lab-backends\.svc\.cluster\.local\.$ api.datadoghq.com.
            }
            rewrite stop {
              name regex ^trace\.agent\.datadoghq\.com\.$ datadog.lab-backends.svc.cluster.local.
              answer name ^datadog\.lab-backends\.svc\.cluster\.local\.$ trace.agent.datadoghq.com.
            }
            rewrite stop {
              name regex ^http-intake\.logs\.datadoghq\.com\.$ datadog.lab-backends.svc.cluster.local.
              answer name ^datadog\.lab-backends\.svc\.cluster\.local\.$ http-intake.logs.datadoghq.com.
            }

            """.ReplaceLineEndings("\n"), At(data, key));
    }

    [Fact]
    public void The_backends_manifest_runs_the_built_image_behind_two_tls_services_with_credentials_only_by_reference()
    {
        var docs = Documents(InClusterBackendsManifests.Backends());

        Assert.Equal(["Namespace/lab-backends", "Deployment/backends", "Service/dynatrace", "Service/datadog"], docs.Select(d => $"{At(d, "kind")}/{At(d, "metadata", "name")}"));
        var pod = docs[1].Children[new YamlScalarNode("spec")]["template"]["spec"];
        Assert.Equal("otel-lab/backends:1.0.0", At(pod, "containers", 0, "image"));
        Assert.Equal(LabImages.Backends, At(pod, "containers", 0, "image"));
        Assert.Equal("Never", At(pod, "containers", 0, "imagePullPolicy")); // imported from the built tarball, never pulled
        Assert.Equal(["lab-backends-credentials", "lab-backends-credentials"], [At(pod, "containers", 0, "env", 0, "valueFrom", "secretKeyRef", "name"), At(pod, "containers", 0, "env", 1, "valueFrom", "secretKeyRef", "name")]);
        Assert.Equal("lab-backends-tls", At(pod, "volumes", 0, "secret", "secretName"));
        Assert.Equal(["OPENSSL-LISTEN:8443,cert=/tls/tls.crt,key=/tls/tls.key,verify=0,fork,reuseaddr", "TCP:127.0.0.1:4318"], ((YamlSequenceNode)pod["containers"][1]["args"]).Select(a => a.ToString()));
        Assert.Equal(["OPENSSL-LISTEN:8444,cert=/tls/tls.crt,key=/tls/tls.key,verify=0,fork,reuseaddr", "TCP:127.0.0.1:4319"], ((YamlSequenceNode)pod["containers"][2]["args"]).Select(a => a.ToString()));
        Assert.Equal(LabImages.Socat, At(pod, "containers", 1, "image"));
        Assert.Equal(["443", "dynatrace", "443", "datadog"], [At(docs[2], "spec", "ports", 0, "port"), At(docs[2], "spec", "ports", 0, "targetPort"), At(docs[3], "spec", "ports", 0, "port"), At(docs[3], "spec", "ports", 0, "targetPort")]);
        Assert.Equal(InClusterBackends.DynatraceLoopbackPort.ToString(System.Globalization.CultureInfo.InvariantCulture), At(pod, "containers", 1, "args", 1).Split(':')[^1]);
    }

    [Fact]
    public void The_servers_certificate_names_every_vendor_host_and_chains_to_the_runs_ca_only()
    {
        var ca = LabCertificateAuthority.Create(PaymentsBackends, TimeProvider.System);

        using var root = X509Certificate2.CreateFromPem(ca.CaPem);
        using var server = X509Certificate2.CreateFromPem(ca.ServerCertificatePem);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        Assert.True(chain.Build(server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.All(PaymentsBackends.HostServices, h => Assert.True(server.MatchesHostname(h.Host), h.Host));
        Assert.False(server.MatchesHostname("live.dynatrace.com"));
        Assert.DoesNotContain("PRIVATE KEY", ca.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", ca.CaPem + ca.ServerCertificatePem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secrets_hold_the_credentials_and_tls_key_and_nothing_put_on_disk_does()
    {
        // Given a payments-fixed cluster with the in-cluster backends
        var cluster = new K3sClusterBuilder().WithRepository(RepoPaths.Root).WithInClusterBackends(PaymentsBackends)
            .WithManifests(Directory.GetFiles(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"), "*.yaml").Order(StringComparer.Ordinal)).Build();
        const string token = "dt0c01.ABCDEFGHIJKLMNOPQRSTUVWX.secret-part";

        // When its Secrets are rendered (for the API) and its files listed (for the container's disk)
        var secrets = Documents(cluster.BackendSecrets(token, "0123456789abcdef0123456789abcdef"));
        var onDisk = string.Concat(cluster.Files().Select(f => f.Text ?? (f.HostPath == cluster.BuiltImagesTarball ? "" : File.ReadAllText(f.HostPath!)))); // the images' tarball is built at start

        // Then the Secrets carry them, and no file does
        Assert.Equal(["lab-backends-credentials", "lab-backends-tls"], secrets.Select(s => At(s, "metadata", "name")));
        Assert.Equal(token, At(secrets[0], "stringData", "dynatrace-token"));
        Assert.Contains("BEGIN PRIVATE KEY", At(secrets[1], "stringData", "tls.key"), StringComparison.Ordinal);
        Assert.Equal("kubernetes.io/tls", At(secrets[1], "type"));
        Assert.DoesNotContain(token, onDisk, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE KEY", onDisk, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cluster_with_backends_gets_them_the_dns_override_the_patched_collectors_and_their_ca()
    {
        var manifests = Directory.GetFiles(Path.Combine(RepoPaths.Scenario("payments-fixed"), "manifests"), "*.yaml").Order(StringComparer.Ordinal).ToList();

        var cluster = new K3sClusterBuilder().WithRepository(RepoPaths.Root).WithInClusterBackends(PaymentsBackends).WithManifests(manifests).Build();

        var files = cluster.Files();
        var names = files.Select(f => Path.GetFileName(f.ContainerPath)).ToList();
        Assert.Equal(["lab-40-backends.yaml", "lab-41-coredns-custom.yaml"], names.Take(2));
        Assert.Equal("lab-90-otel-lab-ca.yaml", names[2 + manifests.Count]);
        var gateway = files.Single(f => f.ContainerPath.EndsWith("-12-otel-gateway.yaml", StringComparison.Ordinal));
        Assert.Null(gateway.HostPath); // patched text, not the file as is
        Assert.Contains("SSL_CERT_FILE", gateway.Text, StringComparison.Ordinal);
        Assert.Equal(manifests.Single(m => m.EndsWith("00-namespaces.yaml", StringComparison.Ordinal)), files.Single(f => f.ContainerPath.EndsWith("-00-namespaces.yaml", StringComparison.Ordinal)).HostPath);
        var ca = Assert.Single(Documents(files[2 + manifests.Count].Text!));
        Assert.Equal(["otel-lab-ca", "observability", cluster.Ca!.CaPem], [At(ca, "metadata", "name"), At(ca, "metadata", "namespace"), At(ca, "data", "ca.crt")]);
        Assert.DoesNotContain(new K3sClusterBuilder().WithRepository(RepoPaths.Root).WithManifests(manifests).Build().Files(), f => f.ContainerPath.Contains("backends", StringComparison.Ordinal) || f.Text is not null && f.Text.Contains("SSL_CERT_FILE", StringComparison.Ordinal));
    }
}
