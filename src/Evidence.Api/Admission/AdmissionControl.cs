using System.Collections.Concurrent;
using Evidence.Contracts;

namespace Evidence.Api.Admission;

/// <summary>What admission control aims for; configured under <c>Admission</c>.</summary>
public sealed class AdmissionOptions
{
    /// <summary>Off switch: commands are then never held back, however far the snapshots fall behind.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The snapshot lag (seconds) the hold steers towards; below it the hold shrinks, above it grows.</summary>
    public double TargetLagSeconds { get; set; } = 0.3;

    /// <summary>How much each report moves the hold: milliseconds per second of lag above or below the target.</summary>
    public double GainMilliseconds { get; set; } = 40;

    /// <summary>
    /// Added to the hold at once while the lag is above the target: milliseconds per second above it.
    /// It stops a sudden burst of writers (all clients starting at once) before the slower integral
    /// part has grown; at the target it adds nothing.
    /// </summary>
    public double ProportionalMilliseconds { get; set; } = 100;

    /// <summary>The longest a command is held, so a slow worker slows writers but never stops them.</summary>
    public double MaxDelayMilliseconds { get; set; } = 500;
}

/// <summary>
/// Keeps the snapshots within seconds of the event log when commands arrive faster than the workers
/// can turn them into versions. Every worker reports its lag four times a second
/// (<see cref="SnapshotLag"/>), and every command waits for the current hold before it is decided.
/// <para>
/// Per <see cref="StepInterval"/> of time the hold moves by <see cref="AdmissionOptions.GainMilliseconds"/>
/// per second that the largest fresh lag is above <see cref="AdmissionOptions.TargetLagSeconds"/> (or
/// shrinks by as much below it), between none and <see cref="AdmissionOptions.MaxDelayMilliseconds"/>:
/// integral control, so the writers settle at the rate the workers sustain instead of the snapshots
/// falling minutes behind, without swinging between stop and go. While the latest lag is above the
/// target, <see cref="AdmissionOptions.ProportionalMilliseconds"/> per second above it is added at
/// once, so a burst is checked within a report or two rather than after the integral part has grown.
/// </para>
/// A command that waits is decided afterwards, so nothing about it changes except when it is
/// committed. Reports older than two seconds are ignored: with no worker reporting (none running, or
/// the broker down) nothing is held back, because commands must not depend on the worker being up.
/// </summary>
public sealed class AdmissionControl(AdmissionOptions options, TimeProvider clock)
{
    /// <summary>How long a worker's report counts.</summary>
    public static readonly TimeSpan ReportLifetime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A worker's reporting interval. Each report moves the hold in proportion to the time since the
    /// previous report from any worker (at most one interval), so the hold moves at the same speed
    /// whatever the number of workers and however their reports are spaced.
    /// </summary>
    public static readonly TimeSpan StepInterval = TimeSpan.FromMilliseconds(250);

    private readonly ConcurrentDictionary<string, SnapshotLag> reports = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private double integralMilliseconds;
    private double proportionalMilliseconds;
    private DateTimeOffset lastReport = DateTimeOffset.MinValue;

    /// <summary>Takes a worker's report and moves the hold.</summary>
    public void Report(SnapshotLag lag)
    {
        var now = clock.GetUtcNow();
        reports[lag.Worker] = lag with { At = now };
        lock (gate)
        {
            // After a silence (workers restarted, broker back) the hold starts again from none.
            if (now - lastReport > ReportLifetime)
                integralMilliseconds = 0;
            var share = Math.Min(1, (now - lastReport) / StepInterval);
            lastReport = now;
            var error = LargestLag(now) - options.TargetLagSeconds;
            integralMilliseconds = Math.Clamp(integralMilliseconds + options.GainMilliseconds * error * share, 0, options.MaxDelayMilliseconds);
            proportionalMilliseconds = options.ProportionalMilliseconds * Math.Max(0, error);
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
                return clock.GetUtcNow() - lastReport > ReportLifetime
                    ? TimeSpan.Zero
                    : TimeSpan.FromMilliseconds(Math.Min(integralMilliseconds + proportionalMilliseconds, options.MaxDelayMilliseconds));
        }
    }

    /// <summary>The largest lag any worker reported within <see cref="ReportLifetime"/>, in seconds.</summary>
    public double LargestLag(DateTimeOffset now) =>
        reports.Values.Where(r => now - r.At <= ReportLifetime).Select(r => r.Seconds).DefaultIfEmpty(0).Max();
}
