using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>A rebuild checks each recomputed version as it comes and lists a bounded number of differences.</summary>
public class SnapshotRebuildTests
{
    private static readonly OutcomeAnalyzer Analyzer = new();

    private static List<LoggedEvent> Review(int trials)
    {
        var events = new List<LoggedEvent>();
        void Add(object e) => events.Add(new LoggedEvent(Guid.NewGuid(), events.Count + 1, Given.By.At, e));
        Add(new ReviewCreated("rb", "t", "q", null, Given.By));
        Add(Given.Outcome("response", "binary", "RR"));
        for (var n = 1; n <= trials; n++)
        {
            Add(new TrialRecorded($"t{n:0000}", "rb", 1990 + n % 30, "src", null, new Dictionary<string, string>(),
                new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = Given.Binary(5 + n % 17, 20 + n % 11, 4 + n % 13, 22 + n % 7) },
                Given.By));
        }
        return events;
    }

    private static List<Snapshot> Recomputed(IEnumerable<LoggedEvent> events)
    {
        var rebuild = new SnapshotRebuild("rb", Analyzer);
        return events.SelectMany(rebuild.Recompute).ToList();
    }

    [Fact]
    public void Rebuild_Should_FindTheStoredVersionsIdentical_AndNameAMissingAndAnExtraOne()
    {
        var events = Review(SnapshotRules.StoredStudyLimit + 3);
        var stored = Recomputed(events);

        var identical = SnapshotRebuild.Compare("rb", events, stored, Analyzer);
        Assert.True(identical.Identical);
        Assert.Equal(stored.Count, identical.VersionsChecked);
        Assert.Equal(events.Count, identical.EventsRead);

        var extra = stored[^1] with { Id = Snapshot.DocumentId("rb", "response", stored.Count + 1), Version = stored.Count + 1 };
        var report = SnapshotRebuild.Compare("rb", events, [.. stored.Where(s => s.Version != 7), extra], Analyzer);
        Assert.Equal(2, report.VersionsDiffering);
        Assert.Equal([7L, stored.Count + 1L], report.Differences.Select(d => d.Version));
        Assert.StartsWith("missing", report.Differences[0].Differences.Single());
        Assert.StartsWith("extra", report.Differences[1].Differences.Single());
    }

    [Fact]
    public void Rebuild_Should_ListAtMostTheLimit_AndCountEveryDifference()
    {
        var events = Review(SnapshotRebuild.MaxVersionsReported + 5);

        var report = SnapshotRebuild.Compare("rb", events, [], Analyzer);

        Assert.False(report.Identical);
        Assert.Equal(SnapshotRebuild.MaxVersionsReported + 5, report.VersionsDiffering);
        Assert.Equal(SnapshotRebuild.MaxVersionsReported, report.Differences.Count);
    }
}
