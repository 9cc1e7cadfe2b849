using System.Security.Cryptography;
using System.Text;
using Marten.Storage;
using Npgsql;

namespace Evidence.Worker.Webhooks;

/// <summary>
/// One worker process at a time serves a subscription, so its deliveries keep their order: a
/// PostgreSQL advisory lock on a connection of its own, held while the process serves it and
/// released with the connection, so a process that dies holds nothing.
/// </summary>
public sealed class SubscriptionLock : IAsyncDisposable
{
    /// <summary>The first half of the two-part lock key: keeps these locks apart from any others.</summary>
    private const int LockSpace = 0x57_48_4B_53;

    private readonly NpgsqlConnection connection;
    private readonly int key;

    private SubscriptionLock(NpgsqlConnection connection, int key) => (this.connection, this.key) = (connection, key);

    /// <summary>The lock of the subscription; null when another process holds it.</summary>
    public static async Task<SubscriptionLock?> TryTakeAsync(IMartenDatabase database, string subscriptionId, CancellationToken ct)
    {
        // Two subscriptions may share a key: they then take turns, which costs nothing but time.
        var key = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(subscriptionId)));
        var connection = database.CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("select pg_try_advisory_lock(@space, @key)", connection);
            command.Parameters.AddWithValue("space", LockSpace);
            command.Parameters.AddWithValue("key", key);
            if ((bool)(await command.ExecuteScalarAsync(ct))!)
                return new SubscriptionLock(connection, key);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@space, @key)", connection);
            unlock.Parameters.AddWithValue("space", LockSpace);
            unlock.Parameters.AddWithValue("key", key);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection held nothing any more.
        }
        await connection.DisposeAsync();
    }
}
