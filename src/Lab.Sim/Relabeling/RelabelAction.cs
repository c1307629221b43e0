namespace OtelLab.Sim.Relabeling;

/// <summary>Relabel actions (upstream: prometheus model/relabel/relabel.go, Action constants).</summary>
public enum RelabelAction
{
    Replace,
    Keep,
    Drop,
    KeepEqual,
    DropEqual,
    HashMod,
    LabelMap,
    LabelDrop,
    LabelKeep,
    Lowercase,
    Uppercase,
}
