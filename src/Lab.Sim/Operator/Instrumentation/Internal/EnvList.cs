using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>Env list helpers, ported from upstream internal/instrumentation/sdk.go (getIndexOfEnv, appendIfNotSet, …).</summary>
internal static class EnvList
{
    public static int IndexOf(IList<V1EnvVar> envs, string name)
    {
        for (var i = 0; i < envs.Count; i++)
        {
            if (envs[i].Name == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>upstream: appendIfNotSet — appends each variable whose name is not present yet (first one wins).</summary>
    public static void AppendIfNotSet(IList<V1EnvVar> envs, IEnumerable<V1EnvVar> add)
    {
        var keys = new HashSet<string>(envs.Select(e => e.Name), StringComparer.Ordinal);
        foreach (var e in add)
        {
            if (keys.Add(e.Name))
            {
                envs.Add(Copy(e));
            }
        }
    }

    /// <summary>upstream: appendOrReplace — replaces a variable of the same name in place, else appends.</summary>
    public static void AppendOrReplace(IList<V1EnvVar> envs, IEnumerable<V1EnvVar> add)
    {
        foreach (var e in add)
        {
            var idx = IndexOf(envs, e.Name);
            if (idx == -1)
            {
                envs.Add(e);
            }
            else
            {
                envs[idx] = e;
            }
        }
    }

    /// <summary>upstream: moveEnvToListEnd.</summary>
    public static void MoveToEnd(IList<V1EnvVar> envs, string name)
    {
        var idx = IndexOf(envs, name);
        if (idx >= 0)
        {
            var e = envs[idx];
            envs.RemoveAt(idx);
            envs.Add(e);
        }
    }

    /// <summary>upstream: validateContainerEnv — a variable the agent must edit may not come from valueFrom.</summary>
    public static string? ValidateNotValueFrom(IList<V1EnvVar> envs, params string[] names)
    {
        foreach (var name in names)
        {
            var idx = IndexOf(envs, name);
            if (idx >= 0 && envs[idx].ValueFrom is not null)
            {
                return $"the container defines env var value via ValueFrom, envVar: {name}";
            }
        }

        return null;
    }

    public static V1EnvVar Value(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FieldRef(string name, string fieldPath) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = fieldPath } } };

    private static V1EnvVar Copy(V1EnvVar e) => new() { Name = e.Name, Value = e.Value, ValueFrom = e.ValueFrom };
}
