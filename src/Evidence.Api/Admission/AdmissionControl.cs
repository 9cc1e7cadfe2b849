using System.Collections.Concurrent;
using Evidence.Contracts;

namespace Evidence.Api.Admission;

/// <summary>What admission control aims for; configured under <c>Admission</c>.</summary>
public sealed class AdmissionOptions
{
    /// <summary>Off switch: commands are then never held back, however far the snapshots fall behind.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Above this lag (seconds) commands are held back longer at each report.</summary>
    public double SlowDownAboveSeconds { get; set; } = 0.5;

    /// <summary>Below this lag (seconds) the hold is shortened at each report, down to none.</summary>
    public double SpeedUpBelowSeconds { get; set; } = 0.2;

    /// <summary>The longest a command is held, so a slow worker slows writers but never stops them.</summary>
    public double MaxDelayMilliseconds { get; set; } = 500;
}

/// <summary>
/// Keeps the snapshots within seconds of the event log when commands arrive faster than the workers
/// can turn them into versions. Every worker reports its lag four times a second
/// (<see cref="SnapshotLag"/>); while the largest fresh report is above
/// <see cref="AdmissionOptions.SlowDownAboveSeconds"/>, every command waits a little before it is
/// decided, and the wait doubles at each report; below <see cref="AdmissionOptions.SpeedUpBelowSeconds"/>
/// it halves, down to none. The result is additive throttling of the writers: their commands slow to
/// the rate the workers sustain, instead of the snapshots falling minutes behind. A command that waits
/// is decided afterwards, so nothing about it changes except when it is committed. Reports older than
/// two seconds are ignored: with no worker reporting (none running, or the broker down) nothing is held
/// back, because commands must not depend on the worker being up.
/// </summary>
public sealed class AdmissionControl(AdmissionOptions options, TimeProvider clock)
{
    /// <summary>How long a worker's report counts.</summary>
    public static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(2);

    private const double FirstDelayMilliseconds = 4;

    private readonly ConcurrentDictionary<string, SnapshotLag> reports = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private double delayMilliseconds;
    private DateTimeOffset lastReport = DateTimeOffset.MinValue;

    /// <summary>Takes a worker's report and adjusts the hold.</summary>
    public void Report(SnapshotLag lag)
    {
        var now = clock.GetUtcNow();
        reports[lag.Worker] = lag with { At = now };
        lock (gate)
        {
            lastReport = now;
            var largest = LargestLag(now);
            if (largest > options.SlowDownAboveSeconds)
                delayMilliseconds = Math.Min(options.MaxDelayMilliseconds, delayMilliseconds < FirstDelayMilliseconds ? FirstDelayMilliseconds : delayMilliseconds * 2);
            else if (largest < options.SpeedUpBelowSeconds)
                delayMilliseconds = delayMilliseconds / 2 < 1 ? 0 : delayMilliseconds / 2;
        }
    }

    /// <summary>How long the next command waits before it is decided: zero unless fresh reports say the snapshots lag.</summary>
    public TimeSpan Delay
    {
        get
        {
            if (!options.Enabled)
                return TimeSpan.Zero;
            lock (gate)
                return clock.GetUtcNow() - lastReport > ReportLifetime ? TimeSpan.Zero : TimeSpan.FromMilliseconds(delayMilliseconds);
        }
    }

    /// <summary>The largest lag any worker reported within <see cref="ReportLifetime"/>, in seconds.</summary>
    public double LargestLag(DateTimeOffset now) =>
        reports.Values.Where(r => now - r.At <= ReportLifetime).Select(r => r.Seconds).DefaultIfEmpty(0).Max();
}
