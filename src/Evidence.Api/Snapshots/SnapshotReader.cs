using Evidence.Domain;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Snapshots;

/// <summary>Loads a stored version and, when it was stored without its per-study sections, computes them.</summary>
public static class SnapshotReader
{
    public static async Task<Snapshot> LoadAsync(
        IQuerySession session, IOutcomeAnalyzer analyzer, string review, string outcome, long version, AnalysisDepth depth, CancellationToken ct)
    {
        var stored = (Rules.IsSlug(outcome) ? await session.LoadAsync<Snapshot>(Snapshot.DocumentId(review, outcome, version), ct) : null)
            ?? throw new NotFoundException("Snapshot", $"{outcome} v{version}");
        if (!stored.StudiesOnRead)
            return stored;
        var upTo = stored.Cause.Sequence;
        var events = await session.ReviewEvents(review)
            .Where(e => e.Sequence <= upTo)
            .OrderBy(e => e.Sequence)
            .ToListAsync(ct);
        return SnapshotStudies.Complete(stored, events.Select(e => new LoggedEvent(e.Id, e.Sequence, e.Timestamp, e.Data)), analyzer, depth);
    }
}
