using OtelLab.AppHost;

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
}
