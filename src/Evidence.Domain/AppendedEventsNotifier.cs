using Marten;
using Marten.Services;
using Npgsql;

namespace Evidence.Domain;

/// <summary>
/// Wakes the async daemon after a commit that appended events, wherever the daemon runs, with a
/// NOTIFY on Marten's channel sent in a transaction of its own.
/// <para>
/// Why not Marten's <c>UseListenNotifyForEventAppends</c>: it sends the NOTIFY inside the appending
/// transaction, and PostgreSQL serialises every committing transaction that has notified (a lock
/// on the notification queue held through the commit's WAL flush). Every command and every
/// snapshot then commits one at a time, which capped the system at one commit per flush. Here the
/// NOTIFY transaction commits asynchronously (<c>synchronous_commit = off</c>), so it holds that
/// lock only briefly; losing one in a crash costs nothing, because the daemon still polls.
/// </para>
/// <para>
/// At most one NOTIFY is in flight per process; commits during it are covered by one more after it,
/// sent no sooner than the interval after the one before. Each NOTIFY costs the daemon
/// a high-water-mark check (a few queries and a write), so under load one NOTIFY per interval covers
/// many commits, while the first commit after a quiet interval still wakes the daemon at once.
/// </para>
/// </summary>
public sealed class AppendedEventsNotifier : DocumentSessionListenerBase
{
    public const string Channel = "mt_events_appended";

    /// <summary>
    /// The interval the stores use. With 8 clients recording trials, waking the daemon after every
    /// commit took about a tenth of the CPU per command (`./evidence.sh load --scenario throughput`);
    /// 20 ms bounds it at 50 wakeups a second and adds at most 20 ms to a command's snapshot, and
    /// nothing when the commits come further apart than that.
    /// </summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(20);

    private readonly Func<Task> send;
    private readonly TimeProvider clock;
    private readonly TimeSpan interval;
    /// <summary>When the last NOTIFY went (a clock timestamp); at first far enough back for any clock and interval.</summary>
    private long lastSent = long.MinValue / 2;

    /// <param name="dataSource">Connections for the NOTIFYs, apart from Marten's pool.</param>
    /// <param name="clock">The time the interval is measured in.</param>
    /// <param name="interval">The shortest time between two NOTIFYs of one process.</param>
    public AppendedEventsNotifier(NpgsqlDataSource dataSource, TimeProvider clock, TimeSpan interval)
        : this(() => NotifyAsync(dataSource), clock, interval)
    {
    }

    /// <summary>The same coalescing around another way of sending (the tests count the sends).</summary>
    public AppendedEventsNotifier(Func<Task> send, TimeProvider clock, TimeSpan interval)
    {
        this.send = send;
        this.clock = clock;
        this.interval = interval;
    }

    private const int Idle = 0;
    private const int Sending = 1;
    private const int SendingWithMoreToSend = 2;

    private int state;

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any())
            Appended();
        return Task.CompletedTask;
    }

    /// <summary>Asks for a NOTIFY sent after every commit so far: at once when idle, else after the one in flight.</summary>
    public void Appended()
    {
        while (true)
        {
            var current = Volatile.Read(ref state);
            if (current == SendingWithMoreToSend)
                return;
            if (Interlocked.CompareExchange(ref state, current + 1, current) != current)
                continue;
            if (current == Idle)
                _ = Task.Run(SendAsync);
            return;
        }
    }

    private async Task SendAsync()
    {
        do
        {
            var wait = interval - clock.GetElapsedTime(Interlocked.Read(ref lastSent));
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock);
            // The NOTIFY below covers every commit requested so far; only later ones need another.
            Volatile.Write(ref state, Sending);
            Interlocked.Exchange(ref lastSent, clock.GetTimestamp());
            try
            {
                await send();
            }
            catch (Exception)
            {
                // Whatever failed, the daemon's polling picks the events up: nothing is lost, only a
                // little time. Letting it escape would leave the state busy and end the notifications.
            }
        }
        while (Interlocked.Decrement(ref state) > Idle);
    }

    private static async Task NotifyAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand($"begin; set local synchronous_commit to off; notify {Channel}; commit;");
        await command.ExecuteNonQueryAsync();
    }
}
