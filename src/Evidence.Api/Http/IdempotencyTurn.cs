using System.Globalization;
using Marten.Storage;
using Npgsql;

namespace Evidence.Api.Http;

/// <summary>
/// The turn of one idempotency key: a PostgreSQL advisory lock on a connection of its own, held
/// while a request with that key is decided and committed. It goes with the connection, so a
/// process that dies mid-request holds no key.
/// </summary>
public sealed class IdempotencyTurn : IAsyncDisposable
{
    /// <summary>The first half of the two-part lock key: keeps these locks apart from any others.</summary>
    private const int LockSpace = 0x45_56_49_44;
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(200);

    private readonly NpgsqlConnection connection;
    private readonly int lockKey;

    private IdempotencyTurn(NpgsqlConnection connection, int lockKey) => (this.connection, this.lockKey) = (connection, lockKey);

    /// <summary>The turn of the record <paramref name="recordId"/> (hex); null when it is not free within <paramref name="wait"/>.</summary>
    public static async Task<IdempotencyTurn?> TakeAsync(IMartenDatabase database, string recordId, TimeSpan wait, CancellationToken ct)
    {
        // Two different keys may share a lock key: they then take turns, which costs nothing but time.
        var lockKey = int.Parse(recordId[..8], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        var until = DateTime.UtcNow + wait;
        // A waiting request holds no connection between its tries, so many of them cannot drain the pool.
        for (var pause = FirstPause; ; pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, LongestPause.Ticks)))
        {
            var connection = database.CreateConnection();
            try
            {
                await connection.OpenAsync(ct);
                if (await TryLockAsync(connection, lockKey, ct))
                    return new IdempotencyTurn(connection, lockKey);
            }
            catch
            {
                await connection.DisposeAsync();
                throw;
            }
            await connection.DisposeAsync();
            if (DateTime.UtcNow >= until)
                return null;
            await Task.Delay(pause, ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@space, @key)", connection);
            unlock.Parameters.AddWithValue("space", LockSpace);
            unlock.Parameters.AddWithValue("key", lockKey);
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // A broken connection held nothing any more.
        }
        await connection.DisposeAsync();
    }

    private static async Task<bool> TryLockAsync(NpgsqlConnection connection, int lockKey, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("select pg_try_advisory_lock(@space, @key)", connection);
        command.Parameters.AddWithValue("space", LockSpace);
        command.Parameters.AddWithValue("key", lockKey);
        return (bool)(await command.ExecuteScalarAsync(ct))!;
    }
}
