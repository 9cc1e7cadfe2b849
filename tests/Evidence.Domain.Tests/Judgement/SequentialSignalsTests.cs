using Evidence.Domain.Judgement;
using Evidence.Domain.Sequential;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>The two sequential rules on hand-built versions: the last look's crossing, and the RIS reached.</summary>
public class SequentialSignalsTests
{
    private static readonly Snapshots.SnapshotSummary Same = Ratio(0.7, 0.5, 0.9, p: 0.01);

    private static SignalBasis With(SequentialBasis? sequential) => new(Same, RatioNull, sequential);

    private static readonly SequentialBasis Inside = new(false, -1.9, 2.5523, 0.41, false, 440, 1080.53);
    private static readonly SequentialBasis Crossing = new(true, -3.0142, 2.5519, 0.648, false, 700, 1080.53);
    private static readonly SequentialBasis NoBoundary = new(false, -1.97, null, 0.278, false, 300, 1080.53);
    private static readonly SequentialBasis Reached = new(true, -3.946, 2.1, 1.11, true, 1200, 1080.53);

    [Fact]
    public void SequentialBoundary_Should_FireWhenTheLastLookStartsCrossing()
    {
        var signal = Assert.Single(Between(With(Inside), With(Crossing)));

        Assert.Equal(SignalKinds.SequentialBoundary, signal.Kind);
        Assert.Equal("the cumulative Z now crosses the monitoring boundary: Z -3.014 against 2.552 at t = 0.648", signal.Text);
        Assert.Equal(-1.9, signal.Before["z"]);
        Assert.Equal(2.5519, signal.After["boundary"]);
    }

    [Fact]
    public void SequentialBoundary_Should_FireWhenTheLastLookStopsCrossing_EvenWithoutABoundary()
    {
        var signal = Assert.Single(Between(With(Crossing), With(NoBoundary)));

        Assert.Equal("the cumulative Z no longer crosses a monitoring boundary: Z -1.97 against no boundary at t = 0.278", signal.Text);
        Assert.Null(signal.After["boundary"]);
    }

    [Fact]
    public void InformationSize_Should_FireOnlyWhenTheRisIsNewlyReached()
    {
        var signal = Assert.Single(Between(With(Crossing), With(Reached)));

        Assert.Equal(SignalKinds.InformationSize, signal.Kind);
        Assert.Equal("the required information size is reached: 1200 participants of 1080.53 required", signal.Text);
        Assert.Empty(Between(With(Reached), With(Reached)));
        Assert.Empty(Between(With(Reached), With(Crossing with { Crossed = true })));
    }

    [Fact]
    public void SequentialRules_Should_NeedASectionOnBothVersions()
    {
        Assert.Empty(Between(With(null), With(Reached)));
        Assert.Empty(Between(With(Inside), With(null)));
    }

    [Fact]
    public void SequentialRules_Should_BeSwitchedOffByName()
    {
        Assert.Empty(Between(With(Inside), With(Reached), Without(SignalKinds.SequentialBoundary) with { InformationSize = new RuleSetting(false) }));
        Assert.Equal([SignalKinds.InformationSize], Between(With(Inside), With(Reached), Only(SignalKinds.InformationSize)).Kinds());
    }
}
