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
    {
        var stored = (Rules.IsSlug(outcome) ? await session.LoadAsync<Snapshot>(Snapshot.DocumentId(review, outcome, version), ct) : null)
            ?? throw new NotFoundException("Snapshot", $"{outcome} v{version}");
        return await studies.CompleteAsync(stored, depth, ct);
    }
}
