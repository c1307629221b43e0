namespace OtelLab.Sim.ArgoCd;

/// <summary>
/// The emulated controller's settings, defaults from the pinned Argo CD version (<see cref="Version"/>): argo-cd
/// cmd/argocd-application-controller/commands/argocd_application_controller.go.
/// </summary>
public sealed record ArgoCdOptions
{
    /// <summary>The Argo CD release whose behaviour is emulated (v3; v2 differs in the polling period and self-heal timing).</summary>
    public const string Version = "v3.6.0";

    /// <summary><c>timeout.reconciliation</c>: upstream defaultAppResyncPeriod = 120 (v3.0+; 180 in v2).</summary>
    public TimeSpan ReconciliationTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary><c>timeout.reconciliation.jitter</c>: upstream defaultAppResyncPeriodJitter = 60 (v3.0+; 0 in v2).</summary>
    public TimeSpan ReconciliationJitter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>--self-heal-backoff-timeout-seconds (2), -factor (3), -cap-seconds (300): the wait before the Nth self-heal of one revision.</summary>
    public TimeSpan SelfHealBackoffTimeout { get; init; } = TimeSpan.FromSeconds(2);

    public int SelfHealBackoffFactor { get; init; } = 3;

    public TimeSpan SelfHealBackoffCap { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>ARGOCD_SYNC_WAVE_DELAY: upstream controller/sync.go delayBetweenSyncWaves, 2 s between waves.</summary>
    public TimeSpan SyncWaveDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The retry limit of an automated sync without <c>syncPolicy.retry</c> (upstream appcontroller.go autoSync: <c>RetryStrategy{Limit: 5}</c>).</summary>
    public int AutomatedRetryLimit { get; init; } = 5;

    /// <summary>Retry backoff: upstream application_defaults.go DefaultSyncRetryDuration 5 s, factor 2, DefaultSyncRetryMaxDuration 3 min.</summary>
    public TimeSpan RetryBackoff { get; init; } = TimeSpan.FromSeconds(5);

    public int RetryBackoffFactor { get; init; } = 2;

    public TimeSpan RetryBackoffCap { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How often live objects are compared with the last rendered target. Argo reacts to watch events on managed
    /// objects (controller/appcontroller.go handleObjectUpdated); the sim samples the live state at this interval
    /// instead, so a drift is seen at most this late.
    /// </summary>
    public TimeSpan LiveCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Seed of the polling jitter (upstream uses rand.Float64).</summary>
    public int JitterSeed { get; init; } = 1;
}
