using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Threading.RateLimiting;
using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Marten;
using Microsoft.Extensions.Caching.Memory;

namespace Evidence.Api.Snapshots;

/// <summary>Too many versions are waiting for their per-study sections to be computed; answered 503 with <c>Retry-After</c>.</summary>
public sealed class StudiesOnReadBusyException()
    : InvalidOperationException("Too many large versions are being computed; retry shortly.");

/// <summary>
/// The per-study sections of <see cref="Snapshot.StudiesOnRead"/> versions, computed once and kept.
/// They are a pure function of the version's inputs and the engine, so an entry is keyed by the
/// version's id, its input hash, the engine version and the depth; a version read again is served
/// from memory without folding the log or refitting. The cache is bounded in study rows
/// (<c>Snapshots:StudiesCacheRows</c>, default 100,000): an entry weighs its k trials once per
/// per-study section it holds (one at <see cref="AnalysisDepth.Studies"/>, three at
/// <see cref="AnalysisDepth.Full"/>), and the least recently read entries go first. Concurrent first
/// reads of one version share one computation, and at most <c>Snapshots:StudiesOnReadConcurrency</c>
/// (default the number of cores) computations run at once; up to <c>Snapshots:StudiesOnReadQueue</c>
/// (default 32) others wait their turn, and beyond them a first read is refused
/// (<see cref="StudiesOnReadBusyException"/>).
/// </summary>
public sealed class StudiesOnReadCache : IDisposable
{
    /// <summary>The meter with <c>evidence.studies_on_read.computed</c> and <c>evidence.studies_on_read.cached</c>.</summary>
    public const string MeterName = "Evidence.Api.StudiesOnRead";

    private readonly IDocumentStore store;
    private readonly IOutcomeAnalyzer analyzer;
    private readonly MemoryCache cache;
    private readonly ConcurrencyLimiter computing;
    private readonly ConcurrentDictionary<Key, Lazy<Task<Snapshot>>> inFlight = new();
    private readonly Meter meter = new(MeterName);
    private readonly Counter<long> computedCounter;
    private readonly Counter<long> cachedCounter;
    private long computed;
    private long cached;

    public StudiesOnReadCache(IDocumentStore store, IOutcomeAnalyzer analyzer, IConfiguration configuration)
    {
        this.store = store;
        this.analyzer = analyzer;
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, configuration.GetValue("Snapshots:StudiesCacheRows", 100_000)) });
        computing = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, configuration.GetValue("Snapshots:StudiesOnReadConcurrency", Environment.ProcessorCount)),
            QueueLimit = Math.Max(0, configuration.GetValue("Snapshots:StudiesOnReadQueue", 32)),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        computedCounter = meter.CreateCounter<long>("evidence.studies_on_read.computed", description: "Versions whose per-study sections were computed from the log.");
        cachedCounter = meter.CreateCounter<long>("evidence.studies_on_read.cached", description: "Reads of such versions served from the cache.");
    }

    /// <summary>How many times per-study sections were computed (folding the log and refitting).</summary>
    public long Computed => Interlocked.Read(ref computed);

    /// <summary>How many reads were served from the cache.</summary>
    public long Cached => Interlocked.Read(ref cached);

    /// <summary>
    /// The stored version, completed with its per-study sections to <paramref name="depth"/>; a version
    /// stored whole is returned as it is. A read at <see cref="AnalysisDepth.Studies"/> is also served
    /// by a cached <see cref="AnalysisDepth.Full"/> entry, which holds everything it needs.
    /// </summary>
    public async Task<Snapshot> CompleteAsync(Snapshot stored, AnalysisDepth depth, CancellationToken ct)
    {
        if (!stored.StudiesOnRead)
            return stored;
        var key = new Key(stored.Id, stored.InputHash, analyzer.EngineVersion, depth);
        while (true)
        {
            if (cache.TryGetValue(key, out Snapshot? hit) || (depth == AnalysisDepth.Studies && cache.TryGetValue(key with { Depth = AnalysisDepth.Full }, out hit)))
            {
                Interlocked.Increment(ref cached);
                cachedCounter.Add(1);
                return hit!;
            }
            var flight = inFlight.GetOrAdd(key, k => new Lazy<Task<Snapshot>>(() => ComputeAsync(k, stored, ct)));
            try
            {
                return await flight.Value.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // The reader that started it left while it waited for its turn; this one starts it again.
            }
        }
    }

    /// <summary>
    /// Other work of the same kind (folding a review's log and analysing it many times, such as a
    /// diff's attribution), run in the same turns as the computations of large versions: at most
    /// <c>Snapshots:StudiesOnReadConcurrency</c> at once, the same queue, 503 beyond it.
    /// </summary>
    public async Task<T> InTurnAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        using var turn = await computing.AcquireAsync(1, ct);
        if (!turn.IsAcquired)
            throw new StudiesOnReadBusyException();
        return await work();
    }

    /// <summary>Folds the log and computes the sections, without the cache (what a cached read must equal).</summary>
    public async Task<Snapshot> ComputeUncachedAsync(Snapshot stored, AnalysisDepth depth, CancellationToken ct)
    {
        await using var session = store.QuerySession();
        var events = await session.ReviewEventsAsync(stored.ReviewId, 0, stored.Cause.Sequence, ct);
        return SnapshotStudies.Complete(stored, events.Select(e => new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data)), analyzer, depth);
    }

    /// <summary>
    /// Waits for a turn while its first reader is there (so a reader who leaves early frees the
    /// queue); once started, it runs to the end for whoever reads the version next.
    /// </summary>
    private async Task<Snapshot> ComputeAsync(Key key, Snapshot stored, CancellationToken firstReader)
    {
        try
        {
            using var turn = await computing.AcquireAsync(1, firstReader);
            if (!turn.IsAcquired)
                throw new StudiesOnReadBusyException();
            var complete = await ComputeUncachedAsync(stored, key.Depth, CancellationToken.None);
            Interlocked.Increment(ref computed);
            computedCounter.Add(1);
            var rows = Math.Max(1, complete.Included.Count) * (key.Depth == AnalysisDepth.Full ? 3 : 1);
            cache.Set(key, complete, new MemoryCacheEntryOptions { Size = rows });
            return complete;
        }
        finally
        {
            // The only flight of this key is this one: another is added only after it is removed.
            inFlight.TryRemove(key, out _);
        }
    }

    public void Dispose()
    {
        cache.Dispose();
        computing.Dispose();
        meter.Dispose();
    }

    private sealed record Key(string SnapshotId, string InputHash, string EngineVersion, AnalysisDepth Depth);
}
