using OtelLab.Model.Crds;
using OtelLab.Model.Yaml;
using YamlDotNet.RepresentationModel;

namespace OtelLab.Model.Manifests.Internal;

/// <summary>Reads an Argo CD Application (<c>argoproj.io/v1alpha1</c>).</summary>
internal static class ArgoApplicationReader
{
    public static ArgoApplication Read(YamlMappingNode map, YamlReader reader, string name, string ns)
    {
        var spec = reader.Mapping(map, "spec", "spec");
        var source = reader.Mapping(spec, "source", "spec.source");
        var destination = reader.Mapping(spec, "destination", "spec.destination");
        var sync = reader.Mapping(spec, "syncPolicy", "spec.syncPolicy");
        var automated = reader.Mapping(sync, "automated", "spec.syncPolicy.automated");
        var directory = reader.Mapping(source, "directory", "spec.source.directory");
        var metadata = reader.Mapping(map, "metadata", "metadata");
        return new ArgoApplication
        {
            Name = name,
            Namespace = ns,
            Project = reader.String(spec, "project", "spec.project"),
            RepoUrl = reader.String(source, "repoURL", "spec.source.repoURL"),
            TargetRevision = reader.String(source, "targetRevision", "spec.source.targetRevision"),
            Path = reader.String(source, "path", "spec.source.path"),
            DestinationNamespace = reader.String(destination, "namespace", "spec.destination.namespace"),
            AutomatedPrune = reader.Bool(automated, "prune", "spec.syncPolicy.automated.prune") ?? false,
            SelfHeal = reader.Bool(automated, "selfHeal", "spec.syncPolicy.automated.selfHeal") ?? false,
            Automated = automated is not null && (reader.Bool(automated, "enabled", "spec.syncPolicy.automated.enabled") ?? true),
            DirectoryRecurse = reader.Bool(directory, "recurse", "spec.source.directory.recurse") ?? false,
            HasHelm = reader.Mapping(source, "helm", "spec.source.helm") is not null,
            SyncOptions = reader.StringList(sync, "syncOptions", "spec.syncPolicy.syncOptions"),
            Finalizers = reader.StringList(metadata, "finalizers", "metadata.finalizers"),
        };
    }
}
