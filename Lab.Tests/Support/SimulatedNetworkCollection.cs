namespace OtelLab.Tests.Support;

/// <summary>
/// Tests that bind the simulated cluster's deterministic pod and VIP addresses (127.64.x.y, 127.96.x.y) run one at a
/// time: two test clusters started in parallel would hand the same addresses to different pods.
/// </summary>
[CollectionDefinition(nameof(SimulatedNetworkCollection), DisableParallelization = true)]
public sealed class SimulatedNetworkCollection;
