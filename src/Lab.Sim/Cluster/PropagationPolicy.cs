namespace OtelLab.Sim.Cluster;

/// <summary>What a delete does to the objects the deleted one owns (metav1.DeletionPropagation).</summary>
public enum PropagationPolicy
{
    /// <summary>The owner goes at once; the garbage collector then deletes dependents no other owner holds (kubectl's default).</summary>
    Background,

    /// <summary>The owner stays, marked for deletion, until its dependents are gone (<c>--cascade=foreground</c>).</summary>
    Foreground,

    /// <summary>The dependents stay, with the reference to the owner removed (<c>--cascade=orphan</c>).</summary>
    Orphan,
}
