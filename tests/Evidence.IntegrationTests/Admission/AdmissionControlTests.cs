using Evidence.Api.Admission;
using Evidence.Contracts;

namespace Evidence.IntegrationTests.Admission;

/// <summary>The hold on commands follows the workers' lag reports: it grows, shrinks, and expires.</summary>
public sealed class AdmissionControlTests
{
    private readonly ManualClock clock = new();
    private readonly AdmissionOptions options = new();

    private AdmissionControl Control() => new(options, clock);

    [Fact]
    public void NoReports_Should_HoldNothing()
    {
        Assert.Equal(TimeSpan.Zero, Control().Delay);
    }

    [Fact]
    public void LagAboveTheTarget_Should_DoubleTheHold_UpToItsMaximum()
    {
        var control = Control();
        var holds = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            control.Report(new SnapshotLag("w1", 3, clock.Now));
            holds.Add(control.Delay.TotalMilliseconds);
            clock.Advance(TimeSpan.FromMilliseconds(250));
        }
        Assert.Equal([4, 8, 16, 32, 64, 128, 256, 500, 500, 500, 500, 500], holds);
    }

    [Fact]
    public void LagBelowTheLowMark_Should_HalveTheHold_DownToNone()
    {
        var control = Control();
        for (var i = 0; i < 5; i++)
            control.Report(new SnapshotLag("w1", 3, clock.Now));
        Assert.Equal(64, control.Delay.TotalMilliseconds);
        control.Report(new SnapshotLag("w1", 0.5, clock.Now));
        Assert.Equal(64, control.Delay.TotalMilliseconds);
        var holds = new List<double>();
        for (var i = 0; i < 7; i++)
        {
            control.Report(new SnapshotLag("w1", 0, clock.Now));
            holds.Add(control.Delay.TotalMilliseconds);
        }
        Assert.Equal([32, 16, 8, 4, 2, 1, 0], holds);
    }

    [Fact]
    public void TheSlowestWorker_Should_Decide()
    {
        var control = Control();
        control.Report(new SnapshotLag("slow", 3, clock.Now));
        control.Report(new SnapshotLag("idle", 0, clock.Now));
        Assert.Equal(8, control.Delay.TotalMilliseconds);
        Assert.Equal(3, control.LargestLag(clock.Now));
    }

    [Fact]
    public void StaleReports_Should_HoldNothing()
    {
        var control = Control();
        for (var i = 0; i < 5; i++)
            control.Report(new SnapshotLag("w1", 3, clock.Now));
        clock.Advance(AdmissionControl.ReportLifetime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, control.Delay);
        Assert.Equal(0, control.LargestLag(clock.Now));
    }

    [Fact]
    public void Disabled_Should_HoldNothing()
    {
        options.Enabled = false;
        var control = Control();
        control.Report(new SnapshotLag("w1", 30, clock.Now));
        Assert.Equal(TimeSpan.Zero, control.Delay);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => Now += by;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
