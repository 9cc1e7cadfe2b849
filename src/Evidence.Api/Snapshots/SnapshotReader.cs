using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Snapshots;

/// <summary>Loads a stored version and, when it was stored without its per-study sections, completes it (from the cache when it can).</summary>
public static class SnapshotReader
{
    public static async Task<Snapshot> LoadAsync(
        IQuerySession session, StudiesOnReadCache studies, string review, string outcome, long version, AnalysisDepth depth, CancellationToken ct)
        => await studies.CompleteAsync(await LoadStoredAsync(session, review, outcome, version, ct), depth, ct);

    /// <summary>The version as stored (without its per-study sections when it is <see cref="Snapshot.StudiesOnRead"/>); 404 when there is none.</summary>
    public static async Task<Snapshot> LoadStoredAsync(IQuerySession session, string review, string outcome, long version, CancellationToken ct) =>
        (Rules.IsSlug(outcome) ? await session.LoadAsync<Snapshot>(Snapshot.DocumentId(review, outcome, version), ct) : null)
            ?? throw new NotFoundException("Snapshot", $"{outcome} v{version}");
}
