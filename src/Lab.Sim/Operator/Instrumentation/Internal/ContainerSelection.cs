using OtelLab.Model.Crds;
using System.Text.RegularExpressions;
using k8s.Models;

namespace OtelLab.Sim.Operator.Instrumentation.Internal;

/// <summary>
/// Which containers each language instruments, ported from upstream podmutator.go (setCommonInstrumentedContainers,
/// setLanguageSpecificContainers, areInstrumentedContainersCorrect) and helper.go (isValidContainersAnnotation,
/// findDuplicatedContainers) and sdk.go (ensureContainer, containersToInstrument).
/// </summary>
internal static partial class ContainerSelection
{
    [GeneratedRegex("^[a-zA-Z0-9-,]+$")]
    private static partial Regex ValidNames();

    /// <summary>upstream helper.go isValidContainersAnnotation.</summary>
    public static string? Validate(string annotation) =>
        annotation.Length == 0 || ValidNames().IsMatch(annotation)
            ? null
            : $"not valid characters included in the instrumentation container annotation {annotation}";

    /// <summary>upstream setCommonInstrumentedContainers: <c>container-names</c> applies to every selected language.</summary>
    public static string? SetCommon(IReadOnlyList<LanguageSelection> selected, V1ObjectMeta ns, V1ObjectMeta pod)
    {
        var value = InstrumentationSelection.EffectiveValue(pod.Annotations, ns.Annotations, InstrumentationAnnotations.ContainerNames);
        if (Validate(value) is { } error)
        {
            return error;
        }

        if (value.Length > 0)
        {
            foreach (var s in selected)
            {
                s.Containers = [.. value.Split(',')];
            }
        }

        return null;
    }

    /// <summary>upstream setLanguageSpecificContainers / setContainersFromAnnotation: appends <c>&lt;lang&gt;-container-names</c>.</summary>
    public static string? SetLanguageSpecific(IReadOnlyList<LanguageSelection> selected, V1ObjectMeta ns, V1ObjectMeta pod)
    {
        foreach (var language in AutoLanguage.InjectionOrder)
        {
            var value = InstrumentationSelection.EffectiveValue(pod.Annotations, ns.Annotations, language.ContainersAnnotation);
            if (value.Length == 0)
            {
                continue;
            }

            if (Validate(value) is { } error)
            {
                return error;
            }

            // upstream sets the containers on the language's slot even when that language is not selected.
            foreach (var s in selected.Where(s => s.Language == language))
            {
                s.Containers.AddRange(value.Split(','));
            }
        }

        return null;
    }

    /// <summary>upstream areInstrumentedContainersCorrect: null when the selection is consistent, else the reason.</summary>
    public static string? CheckConsistent(IReadOnlyList<LanguageSelection> selected)
    {
        var with = selected.Count(s => s.Containers.Count > 0);
        var without = selected.Count(s => s.Containers.Count == 0);
        var duplicates = selected.SelectMany(s => s.Containers)
            .Where(c => c.Length > 0)
            .GroupBy(c => c, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .Select(g => g.Key)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (duplicates.Count > 0)
        {
            // Go's %s of a []string: [a b].
            return $"duplicated container names detected: [{string.Join(' ', duplicates)}]";
        }

        const string Incorrect = "incorrect instrumentation configuration - please provide container names for all instrumentations";
        if ((without > 0 && with > 0) || (without > 1 && with == 0))
        {
            return Incorrect;
        }

        if (without == 0 && with == 0)
        {
            return "instrumentation configuration not provided";
        }

        return with + without > 1 && without > 0 ? Incorrect : null;
    }

    /// <summary>
    /// upstream containersToInstrument: the named containers that exist (init containers first, in pod order, then
    /// regular ones in annotation order); with no names, the pod's first container.
    /// </summary>
    public static List<V1Container> ToInstrument(LanguageSelection selection, V1Pod pod)
    {
        var containers = pod.Spec.Containers;
        var inits = pod.Spec.InitContainers ?? [];
        if (selection.Containers.Count == 0)
        {
            selection.Containers = [containers[0].Name];
        }

        var initTargets = new List<V1Container>();
        var regularTargets = new List<V1Container>();
        foreach (var name in selection.Containers)
        {
            if (containers.FirstOrDefault(c => c.Name == name) is { } regular)
            {
                regularTargets.Add(regular);
            }
            else if (inits.FirstOrDefault(c => c.Name == name) is { } init)
            {
                initTargets.Add(init);
            }
        }

        return [.. initTargets.OrderBy(c => inits.IndexOf(c)), .. regularTargets];
    }

    public static bool IsInitContainer(V1Pod pod, string name) => pod.Spec.InitContainers?.Any(c => c.Name == name) == true;
}
