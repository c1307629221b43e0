namespace OtelLab.Tests.Support;

/// <summary>
/// Tests that bind the addresses of this process's bare clusters or fixed addresses of its own slot
/// (<see cref="TestAddressSlot"/>) run one at a time, since two bare clusters on one slot hand the same addresses to
/// different pods; beside the other collections, whose labs each claim a slot of their own.
/// </summary>
[CollectionDefinition(nameof(SimulatedNetworkCollection))]
public sealed class SimulatedNetworkCollection;
