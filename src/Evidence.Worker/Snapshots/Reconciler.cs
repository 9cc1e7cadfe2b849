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

    /// <summary>
    /// The high-water mark the last pass reached; before the first pass, the mark stored by the last
    /// complete pass of any worker, or 0 when there is none and the first pass visits every review.
    /// </summary>
    private long reconciledUpTo = -1;

    /// <summary>Reviews a pass could not bring up to date: the next pass tries them again.</summary>
    private readonly HashSet<string> failed = new(StringComparer.Ordinal);

    /// <summary>
    /// Catches reviews up to the high-water mark; returns the number of snapshots written. A pass
    /// visits the reviews with events since the previous pass's mark (a lost message is for such a
    /// review) and those that failed, so an idle review costs nothing. The first pass of a process
    /// starts from the mark the last complete pass stored; with none stored (or one beyond the
    /// store's high-water mark, as after a restore) it visits every review.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var mark = await SnapshotCatchUp.HighWaterMarkAsync(session, ct);
        if (mark == 0)
            return 0;
        if (reconciledUpTo < 0)
            reconciledUpTo = (await session.LoadAsync<ReconciledMark>(ReconciledMark.Key, ct))?.Sequence is { } stored && stored <= mark ? stored : 0;
        var from = reconciledUpTo;
        var reviews = from == 0
            ? await session.Query<Review>().Select(r => r.Id).ToListAsync(ct)
            : await ReviewsWithEventsAsync(session, from, mark, ct);
        var visit = reviews.Union(failed, StringComparer.Ordinal).Union(catchUp.Stuck, StringComparer.Ordinal).ToList();
        failed.Clear();
        var written = 0;
        foreach (var review in visit)
        {
            // One review that cannot be brought up to date must not hold back the others.
            try
            {
                written += await catchUp.RunAsync(review, mark, ct, retryStuck: true);
            }
            catch (UnprocessableEventException)
            {
                // The catch-up logged it when the review first stopped; one line per pass would be noise.
                failed.Add(review);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failed.Add(review);
                logger.LogError(ex, "Snapshots of review {Review} could not be brought up to date", review);
            }
        }
        reconciledUpTo = mark;
        // Only a pass that left no review behind may promise that every review is as far as the mark;
        // an idle store's mark has not moved, and storing it again would cost a commit per pass.
        if (failed.Count == 0 && mark != from)
        {
            session.Store(new ReconciledMark(ReconciledMark.Key, mark));
            await session.SaveChangesAsync(ct);
        }
        if (visit.Count > 0 || from == 0)
            logger.LogInformation("Reconciled {Reviews} review(s) with events after sequence {From} up to {Mark}; {Count} missing snapshot(s) written",
                visit.Count, from, mark, written);
        return written;
    }

    /// <summary>
    /// The reviews whose own or trials' streams have events in (after, upTo]: the review of each stream
    /// key (<see cref="StreamKeys.ReviewOfSql"/>), taken in SQL so that a long range returns one row per
    /// review rather than one per trial.
    /// </summary>
    private static async Task<IReadOnlyList<string>> ReviewsWithEventsAsync(IQuerySession session, long after, long upTo, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        return await session.QueryAsync<string>(
            $"select distinct review from (select {StreamKeys.ReviewOfSql("stream_id")} as review from {schema}.mt_events where seq_id > ? and seq_id <= ?) e where review is not null",
            ct, after, upTo);
    }
}
