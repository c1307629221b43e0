using System.Globalization;
using System.Text;

namespace OtelLab.Sim.Collector.Telemetry;

/// <summary>A last-value gauge (OTel <c>Int64Gauge</c>), without labels.</summary>
public sealed class GaugeMetric : Metric
{
    private long _value;
    private bool _recorded;

    internal GaugeMetric(string name, string help)
        : base(name, help)
    {
    }

    public override string PrometheusType => "gauge";

    public long Value => Interlocked.Read(ref _value);

    public void Record(long value)
    {
        Interlocked.Exchange(ref _value, value);
        Volatile.Write(ref _recorded, true);
    }

    internal override void RenderSamples(StringBuilder output, string renderedName)
    {
        if (Volatile.Read(ref _recorded))
        {
            AppendSample(output, renderedName, [], Value.ToString(CultureInfo.InvariantCulture));
        }
    }
}
