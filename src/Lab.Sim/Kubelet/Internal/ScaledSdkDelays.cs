using System.Globalization;

namespace OtelLab.Sim.Kubelet.Internal;

/// <summary>
/// The one place the lab changes a real process's environment beyond what the manifests and the operator's webhook
/// give it: real processes (the sample services and their SDKs) live in wall time, so at a timeScale other than 1 their
/// SDKs' export delays are divided by it, as every emulated timer is. Only delays are scaled, not timeouts: a timeout
/// bounds real network work, which a faster lab clock does not make faster.
/// </summary>
/// <remarks>
/// Defaults from the OpenTelemetry specification, sdk-environment-variables.md: OTEL_BSP_SCHEDULE_DELAY 5000 ms,
/// OTEL_BLRP_SCHEDULE_DELAY 1000 ms, OTEL_METRIC_EXPORT_INTERVAL 60000 ms. A variable the pod sets is scaled from its
/// value; one it does not set is added with the scaled default; an invalid value (which the SDKs ignore) is left as is.
/// </remarks>
internal static class ScaledSdkDelays
{
    private static readonly (string Name, int DefaultMilliseconds)[] Delays =
    [
        ("OTEL_BSP_SCHEDULE_DELAY", 5000),
        ("OTEL_BLRP_SCHEDULE_DELAY", 1000),
        ("OTEL_METRIC_EXPORT_INTERVAL", 60000),
    ];

    public static void Apply(List<KeyValuePair<string, string>> environment, double timeScale)
    {
        if (timeScale.Equals(1))
        {
            return;
        }

        foreach (var (name, fallback) in Delays)
        {
            var index = environment.FindLastIndex(e => e.Key == name);
            if (index < 0)
            {
                environment.Add(new(name, Scaled(fallback, timeScale)));
            }
            else if (long.TryParse(environment[index].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var set))
            {
                environment[index] = new(name, Scaled(set, timeScale));
            }
        }
    }

    private static string Scaled(long milliseconds, double timeScale) =>
        Math.Max(1, (long)Math.Round(milliseconds / timeScale)).ToString(CultureInfo.InvariantCulture);
}
