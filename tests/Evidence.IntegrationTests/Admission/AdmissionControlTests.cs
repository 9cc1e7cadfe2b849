using Evidence.Api.Admission;
using Evidence.Contracts;

namespace Evidence.IntegrationTests.Admission;

/// <summary>The hold on commands follows the workers' lag reports: it grows, shrinks, and expires.</summary>
public sealed class AdmissionControlTests
{
    private readonly ManualClock clock = new();
    // The integral part alone unless a test says otherwise, so its arithmetic reads plainly.
    private readonly AdmissionOptions options = new() { TargetLagSeconds = 0.5, GainMilliseconds = 20, ProportionalMilliseconds = 0 };

    private AdmissionControl Control() => new(options, clock);

    [Fact]
    public void NoReports_Should_HoldNothing()
    {
        Assert.Equal(TimeSpan.Zero, Control().Delay);
    }

    [Fact]
    public void LagAboveTheTarget_Should_GrowTheHold_InProportion_UpToItsMaximum()
    {
        var control = Control();
        var holds = new List<double>();
        foreach (var lag in new[] { 1.5, 1.5, 3.0, 10.5, 30, 30 })
        {
            Report(control, "w1", lag);
            holds.Add(control.Delay.TotalMilliseconds);
        }
        // 20 ms per second above a 0.5 s target, at most 500 ms.
        Assert.Equal([20, 40, 90, 290, 500, 500], holds);
    }

    [Fact]
    public void LagBelowTheTarget_Should_ShrinkTheHold_DownToNone()
    {
        var control = Control();
        Report(control, "w1", 3);
        Assert.Equal(50, control.Delay.TotalMilliseconds);
        Report(control, "w1", 0.5);
        Assert.Equal(50, control.Delay.TotalMilliseconds);
        var holds = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            Report(control, "w1", 0);
            holds.Add(control.Delay.TotalMilliseconds);
        }
        Assert.Equal([40, 30, 20, 10, 0, 0], holds);
    }

    [Fact]
    public void LagAboveTheTarget_Should_AddTheProportionalPart_AtOnce_AndNothingAtOrBelowIt()
    {
        options.ProportionalMilliseconds = 100;
        var control = Control();
        var holds = new List<double>();
        foreach (var lag in new[] { 1.5, 2.5, 0.5, 0 })
        {
            Report(control, "w1", lag);
            holds.Add(control.Delay.TotalMilliseconds);
        }
        // Integral 20, 60, 60, 50 (20 ms per second above 0.5 s per report); proportional 100 ms per
        // second above 0.5 s, from the latest report only: 100, 200, 0, 0.
        Assert.Equal([120, 260, 60, 50], holds);
    }

    [Fact]
    public void TheProportionalPart_Should_NotPassTheMaximum()
    {
        options.ProportionalMilliseconds = 100;
        var control = Control();
        Report(control, "w1", 30);
        Assert.Equal(500, control.Delay.TotalMilliseconds);
    }

    [Fact]
    public void TheSlowestWorker_Should_Decide()
    {
        var control = Control();
        Report(control, "slow", 3);
        Report(control, "idle", 0);
        Assert.Equal(100, control.Delay.TotalMilliseconds);
        Assert.Equal(3, control.LargestLag(clock.Now));
    }

    [Fact]
    public void MoreWorkers_Should_NotMoveTheHoldFaster()
    {
        var control = Control();
        for (var i = 0; i < 3; i++)
        {
            control.Report(new SnapshotLag("w1", 1.5, clock.Now));
            control.Report(new SnapshotLag("w2", 1.5, clock.Now));
            control.Report(new SnapshotLag("w3", 1.5, clock.Now));
            clock.Advance(AdmissionControl.StepInterval);
        }
        Assert.Equal(60, control.Delay.TotalMilliseconds);
    }

    [Fact]
    public void StaleReports_Should_HoldNothing()
    {
        var control = Control();
        control.Report(new SnapshotLag("w1", 3, clock.Now));
        Assert.True(control.Delay > TimeSpan.Zero);
        clock.Advance(AdmissionControl.ReportLifetime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.Zero, control.Delay);
        Assert.Equal(0, control.LargestLag(clock.Now));
    }

    [Fact]
    public void AReportAfterASilence_Should_StartTheHoldFromNone()
    {
        var control = Control();
        control.Report(new SnapshotLag("w1", 30, clock.Now));
        Assert.Equal(500, control.Delay.TotalMilliseconds);
        clock.Advance(AdmissionControl.ReportLifetime + TimeSpan.FromSeconds(1));
        control.Report(new SnapshotLag("w1", 0.5, clock.Now));
        Assert.Equal(0, control.Delay.TotalMilliseconds);
    }

    [Fact]
    public void Disabled_Should_HoldNothing()
    {
        options.Enabled = false;
        var control = Control();
        control.Report(new SnapshotLag("w1", 30, clock.Now));
        Assert.Equal(TimeSpan.Zero, control.Delay);
    }

    /// <summary>A worker's report, then one reporting interval.</summary>
    private void Report(AdmissionControl control, string worker, double lag)
    {
        control.Report(new SnapshotLag(worker, lag, clock.Now));
        clock.Advance(AdmissionControl.StepInterval);
    }

    private sealed class ManualClock : TimeProvider
    {
        public DateTimeOffset Now { get; private set; } = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public void Advance(TimeSpan by) => Now += by;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
