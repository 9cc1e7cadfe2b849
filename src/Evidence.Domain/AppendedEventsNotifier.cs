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
/// At most one NOTIFY is in flight per process; commits during it are covered by one more after it.
/// </summary>
public sealed class AppendedEventsNotifier(NpgsqlDataSource dataSource) : DocumentSessionListenerBase
{
    public const string Channel = "mt_events_appended";

    private const int Idle = 0;
    private const int Sending = 1;
    private const int SendingWithMoreToSend = 2;

    private int state;

    public override Task AfterCommitAsync(IDocumentSession session, IChangeSet commit, CancellationToken token)
    {
        if (commit.GetEvents().Any())
            Request();
        return Task.CompletedTask;
    }

    private void Request()
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
            try
            {
                await using var command = dataSource.CreateCommand($"begin; set local synchronous_commit to off; notify {Channel}; commit;");
                await command.ExecuteNonQueryAsync();
            }
            catch (Exception)
            {
                // Whatever failed, the daemon's polling picks the events up: nothing is lost, only a
                // little time. Letting it escape would leave the state busy and end the notifications.
            }
        }
        while (Interlocked.Decrement(ref state) > Idle);
    }
}
