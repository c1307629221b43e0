namespace OtelLab.Scenarios.Checks;

/// <summary>
/// The checks a run judges by default. Order is report order; the static lint check comes first.
/// </summary>
public static class ScenarioChecks
{
    public static IReadOnlyList<IScenarioCheck> Default { get; } =
    [
        new StaticLintCheck(),
        new StartupBudgetCheck(),
        new PodsReadyCheck(),
        new WorkloadsHavePodsCheck(),
        new VaultSecretsCheck(),
        new BackendDataCheck(),
        new BackendParityCheck(),
        new EnrichmentCheck(),
        new KubectlStepsCheck(),
        new Guide.VendorCredentialsCheck(),
        new Guide.DynatraceMetricRejectionsCheck(),
        new Guide.GatewayTraceSplitCheck(),
        new Guide.DeploymentNameCheck(),
        new TokenPerBackendCheck(),
        new TraceCompleteCheck(),
        new FaultLossCheck(),
        new GitOpsChangeGateCheck(),
        new ShardingCheck(),
        new KeepRateCheck(),
        new SendFailedFlatCheck(),
        new ConservationCheck(),
        new SimulationHealthCheck(),
    ];
}
