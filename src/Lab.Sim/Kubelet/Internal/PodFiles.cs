using System.Text;
using k8s.Models;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// The files an in-process container sees: its ConfigMap and Secret volume mounts (read from the cluster now, as the
/// kubelet's projection would show them) and the pod's folder on disk (<see cref="ContainerContext.PodRoot"/>).
/// </summary>
internal sealed class PodFiles(ContainerContext context)
{
    /// <summary>A file's content, or null when there is no such file.</summary>
    public byte[]? Read(string path)
    {
        if (Mounted(path) is { } mounted)
        {
            return mounted.Entries.TryGetValue(mounted.Relative, out var bytes) ? bytes : null;
        }

        return OnDisk(path) is { } file && File.Exists(file) ? File.ReadAllBytes(file) : null;
    }

    /// <summary>The names in a directory, sorted, or null when there is no such directory.</summary>
    public IReadOnlyList<string>? List(string path)
    {
        var directory = path.TrimEnd('/');
        foreach (var mount in context.Container.VolumeMounts ?? [])
        {
            if (mount.MountPath.TrimEnd('/') == directory && Entries(mount) is { } entries)
            {
                return entries.Keys.Order(StringComparer.Ordinal).ToList();
            }
        }

        var children = (context.Container.VolumeMounts ?? [])
            .Select(m => m.MountPath.TrimEnd('/'))
            .Where(m => m.StartsWith(directory + "/", StringComparison.Ordinal))
            .Select(m => m[(directory.Length + 1)..].Split('/')[0]);
        var onDisk = OnDisk(path) is { } dir && Directory.Exists(dir)
            ? Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>()
            : null;
        var all = children.Concat(onDisk ?? []).Distinct().Order(StringComparer.Ordinal).ToList();
        return all.Count > 0 || onDisk is not null ? all : null;
    }

    private (string Relative, Dictionary<string, byte[]> Entries)? Mounted(string path)
    {
        foreach (var mount in context.Container.VolumeMounts ?? [])
        {
            var prefix = mount.MountPath.TrimEnd('/') + "/";
            if (path.StartsWith(prefix, StringComparison.Ordinal) && Entries(mount) is { } entries)
            {
                return (path[prefix.Length..], entries);
            }
        }

        return null;
    }

    // ConfigMap keys (or items' paths) are the files of a configMap volume; a secret volume likewise.
    private Dictionary<string, byte[]>? Entries(V1VolumeMount mount)
    {
        var ns = context.Pod.Metadata.NamespaceProperty ?? "default";
        var volume = context.Pod.Spec?.Volumes?.FirstOrDefault(v => v.Name == mount.Name);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (volume?.ConfigMap is { } cm)
        {
            var configMap = context.Cluster.Get<V1ConfigMap>(ns, cm.Name);
            foreach (var (key, value) in configMap?.Data ?? new Dictionary<string, string>())
            {
                files[cm.Items?.FirstOrDefault(i => i.Key == key)?.Path ?? key] = Encoding.UTF8.GetBytes(value);
            }

            return files;
        }

        if (volume?.Secret is { } s)
        {
            var secret = context.Cluster.Get<V1Secret>(ns, s.SecretName);
            foreach (var (key, value) in secret?.Data ?? new Dictionary<string, byte[]>())
            {
                files[s.Items?.FirstOrDefault(i => i.Key == key)?.Path ?? key] = value;
            }

            return files;
        }

        return null;
    }

    private string? OnDisk(string path) =>
        context.PodRoot is { } root && path.StartsWith('/') && !path.Split('/').Contains("..")
            ? Path.Combine(root, path.TrimStart('/'))
            : null;
}
