using Evidence.Domain;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Marten;

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

    /// <summary>The high-water mark the last pass reached; 0 before the first pass, which visits every review.</summary>
    private long reconciledUpTo;

    /// <summary>Reviews a pass could not bring up to date: the next pass tries them again.</summary>
    private readonly HashSet<string> failed = new(StringComparer.Ordinal);

    /// <summary>
    /// Catches reviews up to the high-water mark; returns the number of snapshots written. The first
    /// pass visits every review; later passes visit the reviews with events since the previous pass's
    /// mark (a lost message is for such a review) and those that failed, so an idle review costs nothing.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var mark = await SnapshotCatchUp.HighWaterMarkAsync(session, ct);
        if (mark == 0)
            return 0;
        var reviews = reconciledUpTo == 0
            ? await session.Query<Review>().Select(r => r.Id).ToListAsync(ct)
            : await ReviewsWithEventsAsync(session, reconciledUpTo, mark, ct);
        var visit = reviews.Union(failed, StringComparer.Ordinal).ToList();
        failed.Clear();
        var written = 0;
        foreach (var review in visit)
        {
            // One review that cannot be brought up to date must not hold back the others.
            try
            {
                written += await catchUp.RunAsync(review, mark, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Add(review);
                logger.LogError(ex, "Snapshots of review {Review} could not be brought up to date", review);
            }
        }
        reconciledUpTo = mark;
        if (written > 0)
            logger.LogInformation("Reconciler wrote {Count} missing snapshot(s)", written);
        return written;
    }

    /// <summary>The reviews whose own or trials' streams have events in (after, upTo].</summary>
    private static async Task<IReadOnlyList<string>> ReviewsWithEventsAsync(IQuerySession session, long after, long upTo, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        var streams = await session.QueryAsync<string>(
            $"select distinct stream_id from {schema}.mt_events where seq_id > ? and seq_id <= ? and stream_id not like ?", ct, after, upTo, Snapshot.StreamPrefix + "%");
        return streams.Select(s => EvidenceStore.ReviewOfStream(s)!).Distinct(StringComparer.Ordinal).ToList();
    }
}
