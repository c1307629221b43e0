namespace OtelLab.Tests.Support;

/// <summary>
/// Tests that bind fixed loopback addresses and ports, or the addresses of this process's bare clusters
/// (<see cref="TestAddressSlot"/>), run one at a time, after the parallel ones. Labs (<c>SimLab</c>, the command line,
/// a run with its own claimed address slot) need no collection: each holds its own address slot and runs beside others.
/// </summary>
[CollectionDefinition(nameof(SimulatedNetworkCollection), DisableParallelization = true)]
public sealed class SimulatedNetworkCollection;
