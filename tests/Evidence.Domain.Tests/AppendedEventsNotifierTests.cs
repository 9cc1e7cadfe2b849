using System.Collections.Concurrent;
using System.Diagnostics;

namespace Evidence.Domain.Tests;

/// <summary>
/// The wakeup's promise: every commit is followed by a NOTIFY sent after it, and steady commits cost
/// one NOTIFY per interval instead of one each. Real time, with an interval long enough that the
/// outcome does not depend on how busy the machine is.
/// </summary>
public class AppendedEventsNotifierTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(300);

    private sealed class Sends
    {
        public ConcurrentQueue<long> Started { get; } = new();

        public async Task SendAsync()
        {
            Started.Enqueue(Stopwatch.GetTimestamp());
            await Task.Delay(5);
        }

        public async Task WaitQuietAsync()
        {
            // Longer than an interval plus a send with nothing new: no NOTIFY is still to come.
            var count = -1;
            while (count != Started.Count)
            {
                count = Started.Count;
                await Task.Delay(Interval * 3);
            }
        }
    }

    [Fact]
    public async Task Steady_commits_get_one_notify_per_interval_the_last_sent_after_the_last_commit()
    {
        var sends = new Sends();
        var notifier = new AppendedEventsNotifier(sends.SendAsync, TimeProvider.System, Interval);
        var commits = new List<long>();
        var clock = Stopwatch.StartNew();

        // A commit every few milliseconds, from two writers, for four intervals.
        await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < Interval * 4)
            {
                var at = Stopwatch.GetTimestamp();
                notifier.Appended();
                lock (commits)
                    commits.Add(at);
                await Task.Delay(3);
            }
        })));
        var elapsed = clock.Elapsed;
        await sends.WaitQuietAsync();

        // The bound on NOTIFYs only says something when commits outnumber it several times over; how
        // many commits a busy machine manages in the time does not matter beyond that.
        var bound = (int)(elapsed / Interval) + 2;
        Assert.True(commits.Count > 4 * bound, $"only {commits.Count} commits for a bound of {bound} NOTIFYs");
        Assert.InRange(sends.Started.Count, 2, bound);
        Assert.True(sends.Started.Max() >= commits.Max(), "a commit was left without a NOTIFY after it");
    }

    [Fact]
    public async Task Commits_further_apart_than_the_interval_each_get_their_own_notify()
    {
        var sends = new Sends();
        var notifier = new AppendedEventsNotifier(sends.SendAsync, TimeProvider.System, Interval);

        for (var i = 0; i < 3; i++)
        {
            notifier.Appended();
            await sends.WaitQuietAsync();
        }

        Assert.Equal(3, sends.Started.Count);
    }

    [Fact]
    public async Task A_failed_send_does_not_end_the_notifications()
    {
        var attempts = 0;
        var notifier = new AppendedEventsNotifier(() =>
        {
            Interlocked.Increment(ref attempts);
            throw new InvalidOperationException("the database is down");
        }, TimeProvider.System, TimeSpan.Zero);

        notifier.Appended();
        await Task.Delay(500);
        notifier.Appended();
        await Task.Delay(500);

        Assert.Equal(2, attempts);
    }
}
