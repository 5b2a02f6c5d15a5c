using F5Parity.CheckpointTier;
using F5Parity.Diagnosis.Hypotheses;
using F5Parity.Errors;

namespace F5Parity.Tests.Checkpoint;

/// <summary>The profile picks the ladder's strategy: quick bisects, full (the default) walks every rung.</summary>
public sealed class ProfileTests
{
    [Fact]
    public void Quick_bisects_the_ladder_and_full_walks_it()
    {
        Assert.Equal(LadderStrategy.Bisect, Profile.Ladder("quick"));
        Assert.Equal(LadderStrategy.Walk, Profile.Ladder("full"));
        Assert.Equal(LadderStrategy.Walk, Profile.Ladder(null));
        var e = Assert.Throws<ConfigurationException>(() => Profile.Ladder("fast"));
        Assert.Contains(Profile.Variable, e.Message);
    }
}
