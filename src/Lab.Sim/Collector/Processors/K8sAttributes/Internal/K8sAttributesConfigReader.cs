using System.Text.RegularExpressions;
using OtelLab.Sim.Collector.Internal;
using OtelLab.Sim.Collector.Pipeline;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Sim.Collector.Processors.K8sAttributes.Internal;

/// <summary>Decodes and validates the settings as upstream config.go (Config.Validate) does.</summary>
internal static class K8sAttributesConfigReader
{
    public static K8sAttributesConfig Read(ComponentCreateContext context)
    {
        var s = new ComponentSettings(context);
        var root = s.Root;
        var config = new K8sAttributesConfig();
        if (root is null)
        {
            return config;
        }

        var authType = s.String(root, "auth_type", "auth_type") ?? config.AuthType;
        if (authType != "serviceAccount")
        {
            // upstream supports none|serviceAccount|kubeConfig|tls; in a pod only serviceAccount reaches the lab's API.
            throw s.Error(ComponentSettings.Child(root, "auth_type"), $"auth_type '{authType}' is not emulated by the lab (only serviceAccount)");
        }

        var extract = s.Mapping(root, "extract", "extract");
        var metadata = ComponentSettings.Child(extract, "metadata") is null ? config.Metadata : s.Strings(extract, "metadata", "extract.metadata");
        foreach (var field in metadata)
        {
            if (!K8sAttributesConfig.SupportedMetadata.Contains(field))
            {
                // upstream config.go Validate: "\"%s\" is not a supported metadata field"
                throw s.Error(ComponentSettings.Child(extract, "metadata"), $"\"{field}\" is not a supported metadata field");
            }
        }

        var filter = s.Mapping(root, "filter", "filter");
        var association = new List<IReadOnlyList<AssociationSource>>();
        foreach (var rule in s.Sequence(root, "pod_association", "pod_association"))
        {
            var ruleMap = rule as YamlMappingNode ?? throw s.Error(rule, "'pod_association' expected a list of maps");
            var sources = new List<AssociationSource>();
            foreach (var source in s.Sequence(ruleMap, "sources", "pod_association[].sources"))
            {
                var sourceMap = source as YamlMappingNode ?? throw s.Error(source, "'sources' expected a list of maps");
                var from = s.String(sourceMap, "from", "from") ?? string.Empty;
                var name = s.String(sourceMap, "name", "name");
                if (from is not ("connection" or "resource_attribute"))
                {
                    // upstream config.go: "%v is not allowed, use only resource_attribute or connection"
                    throw s.Error(sourceMap, $"{from} is not allowed, use only resource_attribute or connection");
                }

                if (from == "resource_attribute" && string.IsNullOrEmpty(name))
                {
                    throw s.Error(sourceMap, "pod_association source 'resource_attribute' needs a 'name'");
                }

                sources.Add(new AssociationSource(from, name));
            }

            if (sources.Count > 4)
            {
                // upstream kube.PodIdentifierMaxLength
                throw s.Error(ruleMap, "too many association sources, max 4 allowed");
            }

            association.Add(sources);
        }

        var exclude = s.Mapping(root, "exclude", "exclude");
        var excludePods = config.ExcludePods;
        if (exclude is not null)
        {
            excludePods = s.Sequence(exclude, "pods", "exclude.pods")
                .Select(p => new Regex("^(?:" + (s.String(p as YamlMappingNode, "name", "exclude.pods[].name") ?? string.Empty) + ")$", RegexOptions.CultureInvariant))
                .ToList();
        }

        return config with
        {
            AuthType = authType,
            Passthrough = s.Bool(root, "passthrough", "passthrough") ?? false,
            Metadata = metadata,
            Labels = Rules(s, extract, "labels", "labels"),
            Annotations = Rules(s, extract, "annotations", "annotations"),
            DeploymentNameFromReplicaSet = s.Bool(extract, "deployment_name_from_replicaset", "extract.deployment_name_from_replicaset") ?? false,
            PodAssociation = association,
            NodeFromEnvVar = s.String(filter, "node_from_env_var", "filter.node_from_env_var"),
            Node = s.String(filter, "node", "filter.node"),
            Namespace = s.String(filter, "namespace", "filter.namespace"),
            ExcludePods = excludePods,
            WaitForMetadata = s.Bool(root, "wait_for_metadata", "wait_for_metadata") ?? false,
            WaitForMetadataTimeout = s.Duration(root, "wait_for_metadata_timeout", "wait_for_metadata_timeout") ?? config.WaitForMetadataTimeout,
        };
    }

    private static List<ExtractionRule> Rules(ComponentSettings s, YamlMappingNode? extract, string key, string kind)
    {
        var rules = new List<ExtractionRule>();
        foreach (var node in s.Sequence(extract, key, "extract." + key))
        {
            var map = node as YamlMappingNode ?? throw s.Error(node, $"'extract.{key}' expected a list of maps");
            var from = s.String(map, "from", "from") ?? "pod";
            if (from != "pod")
            {
                throw s.Error(map, $"{kind} extraction from '{from}' is not emulated by the lab (only from: pod)");
            }

            var keyName = s.String(map, "key", "key");
            var keyRegex = s.String(map, "key_regex", "key_regex");
            if (keyName is not null && keyRegex is not null)
            {
                // upstream config.go: "Out of Key or KeyRegex only one option is expected to be configured at a time"
                throw s.Error(map, "Out of Key or KeyRegex only one option is expected to be configured at a time, currently Key:" + keyName + " and KeyRegex:" + keyRegex);
            }

            if (keyName is null && keyRegex is null)
            {
                throw s.Error(map, $"each {kind} rule needs 'key' or 'key_regex'");
            }

            // upstream options.go: the regex is anchored as ^(?:re)$.
            var regex = keyRegex is null ? null : new Regex("^(?:" + keyRegex + ")$", RegexOptions.CultureInvariant);
            rules.Add(new ExtractionRule(s.String(map, "tag_name", "tag_name"), keyName, regex, from));
        }

        return rules;
    }
}
