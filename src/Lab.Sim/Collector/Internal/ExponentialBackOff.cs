namespace OtelLab.Sim.Collector.Internal;

/// <summary>
/// The retry intervals of cenkalti/backoff's <c>ExponentialBackOff</c>, which the collector uses wherever it retries
/// (exporterhelper's retry_on_failure, the prometheus receiver's first sync with its Target Allocator):
/// <c>NextBackOff</c> returns the current interval spread by ± randomization factor, then grows it by the multiplier,
/// never past the maximum.
/// </summary>
internal sealed class ExponentialBackOff
{
    private readonly double _randomizationFactor;
    private readonly double _multiplier;
    private readonly TimeSpan _maxInterval;
    private readonly Func<double> _random;
    private TimeSpan _current;

    /// <param name="random">A value in [0, 1) per interval (cenkalti/backoff's rand.Float64).</param>
    public ExponentialBackOff(TimeSpan initialInterval, double randomizationFactor, double multiplier, TimeSpan maxInterval, Func<double>? random = null)
    {
        _current = initialInterval;
        _randomizationFactor = randomizationFactor;
        _multiplier = multiplier;
        _maxInterval = maxInterval;
        _random = random ?? Random.Shared.NextDouble;
    }

    /// <summary>The wait before the next attempt; the interval after it grows.</summary>
    public TimeSpan Next()
    {
        // cenkalti/backoff getRandomValueFromInterval: current − δ + rand × 2δ, δ = factor × current.
        var delta = _randomizationFactor * _current.TotalMilliseconds;
        var wait = TimeSpan.FromMilliseconds(_current.TotalMilliseconds - delta + (_random() * 2 * delta));
        _current = TimeSpan.FromMilliseconds(Math.Min(_current.TotalMilliseconds * _multiplier, _maxInterval.TotalMilliseconds));
        return wait;
    }
}
