using System.Collections.Concurrent;
using Evidence.Domain;
using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;
using Marten;
using Npgsql;

namespace Evidence.Worker.Snapshots;

/// <summary>
/// Brings a review's snapshots up to a point of its event log. Every event after an outcome's newest
/// snapshot that changes the outcome's inputs yields exactly the next version (a batch of trials
/// yields one, at its last event); the rest yield none.
/// Work is idempotent: running it twice, or from two processes, writes each version once (the
/// snapshot stream's version and the document id both refuse a second copy, and the progress
/// document's version refuses a commit based on progress another process has moved since).
/// </summary>
public sealed class SnapshotCatchUp(IDocumentStore store, IOutcomeAnalyzer analyzer, SnapshotLagMeter lag, ILogger<SnapshotCatchUp> logger)
{
    private const int SnapshotsPerTransaction = 200;
    private const string HighWaterMark = "HighWaterMark";
    private const int CachedReviews = 256;

    private readonly ConcurrentDictionary<string, SemaphoreSlim> locks = new(StringComparer.Ordinal);
    /// <summary>Per review, the folded log and the newest snapshot of each outcome, as of the last run here.</summary>
    private readonly ConcurrentDictionary<string, CachedReview> cache = new(StringComparer.Ordinal);

    /// <summary>Reviews whose log this process could not fold or analyse, with the sequence of the event that failed.</summary>
    private readonly ConcurrentDictionary<string, long> stuck = new(StringComparer.Ordinal);

    /// <summary>The reviews whose snapshots stopped on an event this process cannot process (never on data the API accepted).</summary>
    public IReadOnlyCollection<string> Stuck => (IReadOnlyCollection<string>)stuck.Keys;

    /// <summary>
    /// Applies the review's events up to <paramref name="upTo"/>, a sequence below which every event is
    /// committed (the daemon's high-water mark). Returns the number of snapshots written.
    /// <para>
    /// A failure to read or write the store is thrown, for the message's retries. A failure to fold or
    /// analyse an event (a defect, or a stored event that cannot be applied) is deterministic: retrying
    /// it at once would only hold a consumer slot, and the review's age would feed admission control
    /// and slow every other review's writers. So the review is set aside: its messages are acknowledged
    /// without work and it counts for no lag, and only the reconciler (<paramref name="retryStuck"/>)
    /// tries it again, once per pass.
    /// </para>
    /// </summary>
    public async Task<int> RunAsync(string reviewId, long upTo, CancellationToken ct, bool retryStuck = false)
    {
        if (!retryStuck && stuck.ContainsKey(reviewId))
            return 0;
        var gate = locks.GetOrAdd(reviewId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        var failed = false;
        try
        {
            // This process has committed the review's snapshots that far already (a cached log is as
            // far as its committed progress, and progress only moves forward): under load most
            // messages find their work done by an earlier catch-up, and need no session to learn it.
            if (cache.TryGetValue(reviewId, out var cached) && cached.Log.Sequence >= upTo)
                return 0;
            var written = await CatchUpAsync(reviewId, upTo, ct);
            if (stuck.TryRemove(reviewId, out _))
                logger.LogInformation("Review {Review}: snapshots move again", reviewId);
            return written;
        }
        catch (UnprocessableEventException e)
        {
            failed = true;
            cache.TryRemove(reviewId, out _);
            if (stuck.TryAdd(reviewId, e.Sequence))
                logger.LogError(e.InnerException, "Review {Review}: the event at sequence {Sequence} cannot be processed; its snapshots wait for the reconciler", reviewId, e.Sequence);
            if (retryStuck)
                throw;
            return 0;
        }
        catch
        {
            failed = true;
            // The cached log may be ahead of what was committed: rebuild it from the store next time.
            cache.TryRemove(reviewId, out _);
            throw;
        }
        finally
        {
            if (failed)
                lag.Abandon(reviewId);
            else
                lag.End(reviewId);
            gate.Release();
        }
    }

    private async Task<int> CatchUpAsync(string reviewId, long requested, CancellationToken ct)
    {
        await using var session = store.LightweightSession();
        var progress = await session.LoadAsync<SnapshotProgress>(reviewId, ct);
        var done = progress?.Sequence ?? 0;
        if (done >= requested)
            return 0;
        // Under load the review's next messages are already queued behind this one: go as far as the
        // daemon's high-water mark (every event below it is committed), so one transaction does their
        // work and they find it done. Each event still yields its own version.
        var upTo = Math.Max(requested, await HighWaterMarkAsync(session, ct));

        // What this process wrote last is still current unless another worker has moved the progress since.
        ReviewLog log;
        Dictionary<string, SnapshotHead> heads;
        if (cache.TryGetValue(reviewId, out var cached) && cached.Log.Sequence == done)
            (log, heads) = (cached.Log, cached.Heads);
        else
        {
            // Folding the review's history again is only worth it when it has something new.
            if (!await session.ReviewEvents(reviewId, done, upTo).AnyAsync(ct))
                return 0;
            log = new ReviewLog();
            heads = (await session.Query<SnapshotHead>().Where(h => h.ReviewId == reviewId).ToListAsync(ct))
                .ToDictionary(h => h.OutcomeId, StringComparer.Ordinal);
            var looks = (await session.Query<OutcomeLook>().Where(l => l.ReviewId == reviewId).ToListAsync(ct)).ToLookup(l => l.OutcomeId, StringComparer.Ordinal);
            foreach (var stored in await session.Query<OutcomeLedger>().Where(l => l.ReviewId == reviewId).ToListAsync(ct))
            {
                if (heads.TryGetValue(stored.OutcomeId, out var head) && head.Version == stored.Version)
                    heads[stored.OutcomeId] = head with { Ledger = stored.With(looks[stored.OutcomeId]) };
            }
        }
        var events = await session.ReviewEventsAsync(reviewId, log.Sequence, upTo, ct);
        // A folded log always reaches past the progress (the check above), so only a cached one can
        // find nothing: nothing of this review since its progress (other reviews moved the mark).
        // Nothing to write, not even the progress, or every idle review would cost a commit per
        // reconciliation.
        if (events.Count == 0)
            return 0;

        lag.Begin(reviewId, events.First(e => e.Sequence > done).Timestamp);
        var written = 0;
        // The outcomes given a version since the last commit: each one's head is stored once per
        // transaction, as of its newest version, rather than once per version.
        var moved = new Dictionary<string, SnapshotHead>(StringComparer.Ordinal);
        var pending = 0;
        var replay = LedgerReplay.For(heads);
        foreach (var e in events)
        {
            var logged = new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data);
            try
            {
                if (replay is not null && e.Sequence <= done)
                {
                    replay.Apply(log, logged);
                    continue;
                }
                if (replay is not null)
                {
                    StoreLooks(session, replay.Complete(heads));
                    replay = null;
                }
                foreach (var changed in SnapshotRules.Apply(log, logged, heads.ContainsKey, track: e.Sequence > done))
                {
                    var outcome = changed.Inputs.OutcomeId;
                    heads[outcome] = moved[outcome] = Write(session, changed, e.Sequence, heads.GetValueOrDefault(outcome));
                    written++;
                    pending++;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Nothing of this transaction is committed: the progress stays before the event.
                throw new UnprocessableEventException(reviewId, e.Sequence, ex);
            }
            // Commits fall between events, so a stored progress never covers half of an event's versions,
            // and outside batches, whose versions come at their last event from state held in the log.
            if (pending >= SnapshotsPerTransaction && log.Batch is null)
            {
                await CommitAsync(session, moved, new SnapshotProgress(reviewId, e.Sequence), ct);
                pending = 0;
            }
        }
        if (replay is not null)
            StoreLooks(session, replay.Complete(heads));
        if (log.Batch is { } open)
        {
            // The mark stopped inside a batch (a transaction that may still commit drew a sequence
            // among its events): the progress stops before the batch, whose versions the next
            // catch-up gives from a log folded again, since this one holds half of it.
            await CommitAsync(session, moved, new SnapshotProgress(reviewId, open.FirstSequence - 1), ct);
            cache.TryRemove(reviewId, out _);
            return written;
        }
        await CommitAsync(session, moved, new SnapshotProgress(reviewId, upTo), ct);
        log.AdvanceTo(upTo);
        Remember(reviewId, log, heads);
        // Debug: under load a line per catch-up is thousands a minute.
        if (written > 0)
            logger.LogDebug("Review {Review}: {Count} snapshot(s) up to sequence {Sequence}", reviewId, written, upTo);
        return written;
    }

    private SnapshotHead Write(IDocumentSession session, ChangedOutcome changed, long sequence, SnapshotHead? head)
    {
        var (inputs, hash, wasIncluded, cause, batchTrials) = changed;
        var version = (head?.Version ?? 0) + 1;
        var analyzed = analyzer.Analyze(inputs);
        var ledger = SequentialRules.Next(head?.Ledger, inputs, version);
        var snapshot = SnapshotRules.Build(inputs, hash, cause, version, analyzed, analyzer.EngineVersion, head?.Basis(), wasIncluded, batchTrials, ledger);
        var taken = new SnapshotTaken(inputs.ReviewId, inputs.OutcomeId, version, snapshot.Cause, analyzed.Summary,
            ChangeFlags.Between(head?.Summary, analyzed.Summary), snapshot.Signals);
        var next = new SnapshotHead(SnapshotHead.DocumentId(inputs.ReviewId, inputs.OutcomeId), inputs.ReviewId, inputs.OutcomeId,
            version, sequence, hash, analyzed.Summary, snapshot.Thresholds, snapshot.Sequential is { } section ? SequentialBasis.Of(section) : null, ledger);
        session.Insert(snapshot);
        if (ledger.Looks.Count > 0 && ledger.Looks[^1].Version == version)
            session.Store(OutcomeLook.Of(inputs.ReviewId, inputs.OutcomeId, ledger.Looks[^1]));
        var stream = StreamKeys.Snapshots(inputs.ReviewId, inputs.OutcomeId);
        if (version == 1)
            session.Events.StartStream(stream, taken);
        else
            session.Events.Append(stream, version, taken);
        return next;
    }

    /// <summary>Stores the looks of ledgers counted again from the log, which no document held.</summary>
    private static void StoreLooks(IDocumentSession session, IEnumerable<SnapshotHead> replayed)
    {
        foreach (var head in replayed)
        {
            foreach (var look in head.Ledger!.Looks)
                session.Store(OutcomeLook.Of(head.ReviewId, head.OutcomeId, look));
        }
    }

    private static async Task CommitAsync(IDocumentSession session, Dictionary<string, SnapshotHead> moved, SnapshotProgress progress, CancellationToken ct)
    {
        foreach (var head in moved.Values)
        {
            session.Store(head);
            if (head.Ledger is { } ledger)
                session.Store(OutcomeLedger.Of(head, ledger));
        }
        moved.Clear();
        session.Store(progress);
        await session.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Keeps the review's folded log for its next catch-up. The cache holds the most recently used
    /// <see cref="CachedReviews"/> reviews, so a worker serving thousands of reviews keeps the busy
    /// ones in memory and folds an idle one again from the store when it wakes up.
    /// </summary>
    private void Remember(string reviewId, ReviewLog log, Dictionary<string, SnapshotHead> heads)
    {
        cache[reviewId] = new CachedReview(log, heads, Environment.TickCount64);
        if (cache.Count <= CachedReviews)
            return;
        foreach (var stale in cache.OrderBy(c => c.Value.LastUsed).Take(cache.Count - CachedReviews * 3 / 4).Select(c => c.Key).ToList())
            cache.TryRemove(stale, out _);
    }

    private sealed record CachedReview(ReviewLog Log, Dictionary<string, SnapshotHead> Heads, long LastUsed);

    /// <summary>The sequence below which every event is committed, as the async daemon has established it; 0 before it ran.</summary>
    internal static async Task<long> HighWaterMarkAsync(IQuerySession session, CancellationToken ct)
    {
        var schema = session.DocumentStore.Options.Events.DatabaseSchemaName;
        try
        {
            // Read with Npgsql itself: Marten's QueryAsync<T> emits a dynamic method per call (a
            // reflection invoker for its handler), and every catch-up reads the mark.
            await using var connection = session.Database.CreateConnection();
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand($"select last_seq_id from {schema}.mt_event_progression where name = $1", connection)
            {
                Parameters = { new NpgsqlParameter { Value = HighWaterMark } },
            };
            return await command.ExecuteScalarAsync(ct) is long mark ? mark : 0;
        }
        catch (Exception e) when ((e as PostgresException ?? e.InnerException as PostgresException)?.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // No daemon has run against this schema yet: the message's own sequence is the limit.
            return 0;
        }
    }
}

/// <summary>An event of the review could not be folded or analysed; the same event would fail again.</summary>
public sealed class UnprocessableEventException(string review, long sequence, Exception inner)
    : Exception($"Review '{review}': the event at sequence {sequence} cannot be processed.", inner)
{
    public long Sequence { get; } = sequence;
}
