using OtelLab.AppHost;
using OtelLab.AppHost.Commands;

namespace OtelLab.Tests.AppHost;

/// <summary>The shutdown's steps as a bound-exceeded message and the last line of `up` name them.</summary>
[Trait("Category", "Unit")]
public sealed class ShutdownProgressTests
{
    [Fact]
    public void Finished_steps_say_how_long_they_took_and_the_current_one_how_long_it_has_run()
    {
        var progress = new ShutdownProgress();
        Assert.Equal("", progress.Describe());

        progress.Begin("stopping the lab's resources");
        progress.Begin("the Aspire host's own stop");

        Assert.Matches(@"^stopping the lab's resources took \d+\.\d s; still in: the Aspire host's own stop for \d+\.\d s$", progress.Describe());

        progress.End();
        Assert.Matches(@"^stopping the lab's resources took \d+\.\d s; the Aspire host's own stop took \d+\.\d s$", progress.Describe());
    }

    [Fact]
    public void A_note_ends_the_step_it_remarks_on_and_follows_it()
    {
        var progress = new ShutdownProgress();
        progress.Begin("the Aspire host's own stop");
        progress.Note("cut short at 3 s");
        progress.Begin("the lab's disposal");
        progress.End();

        Assert.Matches(@"^the Aspire host's own stop took \d+\.\d s; cut short at 3 s; the lab's disposal took \d+\.\d s$", progress.Describe());
    }

    [Fact]
    public void A_steps_parts_name_those_still_stopping_and_the_slowest_finished_ones()
    {
        var progress = new ShutdownProgress();
        progress.Begin("stopping the lab's resources");
        foreach (var part in new[] { "load", "kubelets", "api-server", "vault", "dns" })
        {
            progress.PartBegun(part);
        }

        progress.PartEnded("load");
        progress.PartEnded("dns");

        // While the step runs: what is still stopping, longest first, then the slowest of those done
        Assert.Matches(@"^still in: stopping the lab's resources for \d+\.\d s \(still stopping: kubelets for \d+\.\d s, api-server for \d+\.\d s, vault for \d+\.\d s; slowest: (load|dns) \d+\.\d s, (load|dns) \d+\.\d s\)$", progress.Describe());

        foreach (var part in new[] { "kubelets", "api-server", "vault" })
        {
            progress.PartEnded(part);
        }

        // Once it ended: the three slowest parts only, and the next step starts with none
        progress.Begin("the Aspire host's own stop");
        var said = progress.Describe();
        Assert.Matches(@"^stopping the lab's resources took \d+\.\d s \(slowest: \w[\w-]* \d+\.\d s, \w[\w-]* \d+\.\d s, \w[\w-]* \d+\.\d s\); still in: the Aspire host's own stop for \d+\.\d s$", said);
    }

    [Fact]
    public void A_part_outside_a_step_or_ended_twice_is_not_counted()
    {
        var progress = new ShutdownProgress();
        progress.PartBegun("load");
        progress.Begin("stopping the lab's resources");
        progress.PartEnded("load");
        progress.PartBegun("vault");
        progress.PartEnded("vault");
        progress.PartEnded("vault");
        progress.End();

        Assert.Matches(@"^stopping the lab's resources took \d+\.\d s \(slowest: vault \d+\.\d s\)$", progress.Describe());
    }

    [Fact]
    public void A_parts_detail_follows_it_and_an_empty_one_is_left_out()
    {
        var progress = new ShutdownProgress();
        progress.Begin("stopping the lab's resources");
        progress.PartBegun("node-agents");
        progress.PartBegun("load");
        progress.PartEnded("load", "");
        progress.PartEnded("node-agents", "slowest pods: payments/checkout-0 3.1 s");
        progress.End();

        Assert.Matches(@"^stopping the lab's resources took \d+\.\d s \(slowest: (node-agents \d+\.\d s \[slowest pods: payments/checkout-0 3\.1 s\]|load \d+\.\d s), (node-agents \d+\.\d s \[slowest pods: payments/checkout-0 3\.1 s\]|load \d+\.\d s)\)$", progress.Describe());
    }

    [Theory]
    [InlineData(0.0, 3.0)]   // resources stopped at once: the host's own bound
    [InlineData(4.5, 3.0)]   // 8 s − 4.5 s − 0.5 s leaves exactly the bound
    [InlineData(6.6, 0.9)]   // resources took most of the 8 s: what is left, less the disposal's 0.5 s
    [InlineData(7.8, 0.0)]   // nothing left: cut at once
    [InlineData(9.0, 0.0)]
    public void The_Aspire_hosts_own_stop_gets_its_bound_or_what_is_left_of_the_shutdowns(double elapsed, double cut)
    {
        Assert.Equal(cut, UpCommand.HostOwnStopCut(TimeSpan.FromSeconds(elapsed)).TotalSeconds, precision: 6);
    }
}
