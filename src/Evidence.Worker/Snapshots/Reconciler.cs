using Evidence.Domain.Reviews;
using Marten;
using Npgsql;

namespace Evidence.Worker.Snapshots;

/// <summary>
/// On start and then periodically, brings every review's snapshots up to the store's high-water
/// mark, so a lost or failed message only delays a snapshot, never loses it.
/// </summary>
public sealed class Reconciler(IDocumentStore store, SnapshotCatchUp catchUp, IConfiguration configuration, ILogger<Reconciler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(configuration.GetValue("Snapshots:ReconcileSeconds", 30));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ReconcileAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Reconciliation failed; retrying in {Period}", period);
            }
            await Task.Delay(period, stoppingToken);
        }
    }

    /// <summary>Catches up every review to the high-water mark; returns the number of snapshots written.</summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        var mark = await HighWaterMarkAsync(ct);
        if (mark == 0)
            return 0;
        await using var session = store.QuerySession();
        var reviews = await session.Query<Review>().Select(r => r.Id).ToListAsync(ct);
        var written = 0;
        foreach (var review in reviews)
        {
            // One review that cannot be brought up to date must not hold back the others.
            try
            {
                written += await catchUp.RunAsync(review, mark, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Snapshots of review {Review} could not be brought up to date", review);
            }
        }
        if (written > 0)
            logger.LogInformation("Reconciler wrote {Count} missing snapshot(s)", written);
        return written;
    }

    /// <summary>The sequence below which every event is committed, as the async daemon has established it.</summary>
    private async Task<long> HighWaterMarkAsync(CancellationToken ct)
    {
        var schema = store.Options.Events.DatabaseSchemaName;
        await using var connection = new NpgsqlConnection(configuration.GetConnectionString("Postgres"));
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand($"select last_seq_id from {schema}.mt_event_progression where name = 'HighWaterMark'", connection);
        try
        {
            return await command.ExecuteScalarAsync(ct) is long mark ? mark : 0;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }
}
