using k8s.Models;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// A pod's emptyDir volumes as folders under the runtime's state directory
/// (<c>&lt;state&gt;/&lt;ns&gt;_&lt;pod&gt;_&lt;uid&gt;/volumes/&lt;volume&gt;</c>), kept across container restarts like an
/// emptyDir. A child process has no mount namespace, so every path under one of the container's mount paths (the
/// operator's <c>/otel-auto-instrumentation-java</c> in JAVA_TOOL_OPTIONS, PYTHONPATH, NODE_OPTIONS, the init
/// container's <c>cp</c> target) is rewritten to the volume's folder, the same way in env values and in commands,
/// so the init container's copy lands where the app container's agent variables point.
/// </summary>
internal sealed class PodVolumes
{
    private readonly List<(string MountPath, string Folder)> _mounts;

    private PodVolumes(string podDirectory, List<(string, string)> mounts)
    {
        PodDirectory = podDirectory;
        _mounts = mounts;
    }

    public string PodDirectory { get; }

    public static PodVolumes For(string stateDirectory, V1Pod pod, V1Container container)
    {
        var meta = pod.Metadata;
        var podDirectory = Path.Combine(stateDirectory, $"{meta.NamespaceProperty}_{meta.Name}_{meta.Uid}");
        Directory.CreateDirectory(podDirectory);
        var emptyDirs = (pod.Spec.Volumes ?? []).Where(v => v.EmptyDir is not null).Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var mounts = new List<(string, string)>();
        foreach (var mount in container.VolumeMounts ?? [])
        {
            if (!emptyDirs.Contains(mount.Name))
            {
                continue;
            }

            var folder = Path.Combine(podDirectory, "volumes", mount.Name);
            Directory.CreateDirectory(folder);
            mounts.Add((mount.MountPath.TrimEnd('/'), folder));
        }

        // Longest mount path first, so nested mounts win.
        mounts.Sort((a, b) => b.Item1.Length.CompareTo(a.Item1.Length));
        return new PodVolumes(podDirectory, mounts);
    }

    /// <summary>Rewrites every occurrence of a mount path (at a path boundary) in a value to its folder.</summary>
    public string MapPath(string value)
    {
        foreach (var (mountPath, folder) in _mounts)
        {
            value = ReplaceAtBoundary(value, mountPath, folder);
        }

        return value;
    }

    /// <summary>A command argument: mount paths as in <see cref="MapPath"/>, then the image's own files.</summary>
    public string MapImagePath(string argument, IReadOnlyDictionary<string, string> filesystem)
    {
        var mapped = MapPath(argument);
        if (!ReferenceEquals(mapped, argument) && mapped != argument)
        {
            return mapped;
        }

        foreach (var (imagePath, host) in filesystem.OrderByDescending(kv => kv.Key.Length))
        {
            if (argument == imagePath || argument.StartsWith(imagePath + "/", StringComparison.Ordinal))
            {
                return host + argument[imagePath.Length..];
            }
        }

        return argument;
    }

    private static string ReplaceAtBoundary(string value, string path, string folder)
    {
        var at = 0;
        while ((at = value.IndexOf(path, at, StringComparison.Ordinal)) >= 0)
        {
            var end = at + path.Length;
            var startsWell = at == 0 || value[at - 1] is ':' or '=' or ' ' or ',' or ';' or '"' or '\'';
            var endsWell = end == value.Length || value[end] is '/' or ':' or ' ' or ',' or ';' or '"' or '\'';
            if (startsWell && endsWell)
            {
                value = string.Concat(value.AsSpan(0, at), folder, value.AsSpan(end));
                at += folder.Length;
            }
            else
            {
                at = end;
            }
        }

        return value;
    }
}
