using System.Diagnostics;
using System.Globalization;
using Evidence.Domain;
using Evidence.Domain.Trials;
using Marten;

namespace Evidence.Load;

/// <summary>
/// The ceiling of the stack itself for the one durable write every trial-recorded command needs:
/// Marten starting the trial's stream (its event and the inline <see cref="Trial"/> document, with
/// Evidence's store configuration) in a transaction of its own, from <c>writers</c> concurrent
/// writers. No HTTP, no validation, no snapshot, no broker: whatever a command costs beyond this is
/// the rest of the pipeline. Written to a schema of its own, which is dropped afterwards.
/// </summary>
public static class StackCeiling
{
    private const string Schema = "load_ceiling";

    /// <summary>
    /// Appends per second and the machine's CPU per append (this process, PostgreSQL and the kernel),
    /// <paramref name="perTransaction"/> new streams in each transaction. Without <paramref name="inlineTrial"/>
    /// the same payload is appended as an event no projection reads: the bare event append.
    /// </summary>
    public static async Task<(double PerSecond, double CpuMilliseconds)> MartenAppendsAsync(string connectionString, int writers, int perTransaction, bool inlineTrial, TimeSpan duration)
    {
        await using var store = DocumentStore.For(o => o.ConfigureEvidence(connectionString, Schema));
        await store.Storage.ApplyAllConfiguredChangesToDatabaseAsync();
        try
        {
            // A short first run fills the connection pool and the JIT; the second is measured.
            await AppendAsync(store, writers, perTransaction, inlineTrial, TimeSpan.FromSeconds(3), "warmup");
            var cpu = Machine.MachineCpu();
            var clock = Stopwatch.StartNew();
            var appends = await AppendAsync(store, writers, perTransaction, inlineTrial, duration, "measured");
            var seconds = clock.Elapsed.TotalSeconds;
            var busy = Machine.MachineCpu().Busy - cpu.Busy;
            return (appends / seconds, 1000 * busy / appends);
        }
        finally
        {
            await using var connection = new Npgsql.NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"drop schema if exists {Schema} cascade", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    private static async Task<int> AppendAsync(DocumentStore store, int writers, int perTransaction, bool inlineTrial, TimeSpan duration, string run)
    {
        var stop = DateTime.UtcNow + duration;
        var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(async writer =>
        {
            var count = 0;
            var review = string.Create(CultureInfo.InvariantCulture, $"{run}-{perTransaction}-{writer}");
            while (DateTime.UtcNow < stop)
            {
                await using var session = store.LightweightSession();
                for (var i = 0; i < perTransaction; i++, count++)
                {
                    var trial = string.Create(CultureInfo.InvariantCulture, $"t{count}");
                    var key = StreamKeys.Trial(review, trial);
                    if (inlineTrial)
                        session.Events.StartStream<Trial>(key, Recorded(review, trial));
                    else
                        session.Events.StartStream(key, new Unprojected(Recorded(review, trial)));
                }
                await session.SaveChangesAsync();
            }
            return count;
        }));
        return counts.Sum();
    }

    /// <summary>The trial's payload as an event that no projection handles.</summary>
    private sealed record Unprojected(TrialRecorded Trial);

    /// <summary>The same shape as the harness's trial-recorded commands: a 2x2 table for one outcome and one attribute.</summary>
    private static TrialRecorded Recorded(string review, string trial) => new(
        trial, review, 2020, "load ceiling", null,
        new Dictionary<string, string>(StringComparer.Ordinal) { ["disease"] = "SLE" },
        new Dictionary<string, IReadOnlyDictionary<string, double>>(StringComparer.Ordinal)
        {
            ["response"] = new Dictionary<string, double>(StringComparer.Ordinal) { ["ai"] = 5, ["bi"] = 20, ["ci"] = 4, ["di"] = 22 },
        },
        new Provenance("load", DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"), null, null));
}
