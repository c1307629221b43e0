using OtelLab.Model.Manifests;
using OtelLab.Scenarios.Checks;
using OtelLab.Scenarios.Definition;

namespace OtelLab.Tests.Scenarios.Checks;

/// <summary>dataWithin counts once per run: checks after the first wait only for what is left of it, with a floor.</summary>
[Trait("Category", "Unit")]
public sealed class CheckContextTests
{
    [Fact]
    public void Before_the_checks_start_a_check_may_wait_the_whole_data_within()
    {
        Assert.Equal(TimeSpan.FromSeconds(35), Context(TimeSpan.FromSeconds(35)).DataWait);
    }

    [Fact]
    public void Once_started_the_wait_is_what_is_left_but_never_below_the_floor()
    {
        // Given a run's checks started with dataWithin 35 s
        var context = Context(TimeSpan.FromSeconds(35));
        context.StartDataClock();

        // Then a check waits at most the 35 s and at least the 10 s floor
        Assert.InRange(context.DataWait, CheckContext.MinimumDataWait, TimeSpan.FromSeconds(35));
    }

    [Fact]
    public void A_data_within_below_the_floor_is_kept_whole()
    {
        var context = Context(TimeSpan.FromSeconds(3));
        context.StartDataClock();

        Assert.Equal(TimeSpan.FromSeconds(3), context.DataWait);
    }

    private static CheckContext Context(TimeSpan within) => new()
    {
        Scenario = new ScenarioDefinition { Name = "s", ManifestsPath = "." },
        Manifests = new ManifestSet { Objects = [], Errors = [], Files = [] },
        DataWithin = within,
    };
}
