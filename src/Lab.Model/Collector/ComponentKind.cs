namespace OtelLab.Model.Collector;

public enum ComponentKind
{
    Receiver,
    Processor,
    Exporter,
    Connector,
    Extension,
}
