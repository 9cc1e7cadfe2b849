using System.Text.Json;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Tests;

public class SnapshotDiffTests
{
    private static readonly SnapshotCause Cause = new(Guid.Empty, "TrialRecorded", 1, "a", "alice", Given.By.At, null);

    private static Snapshot Snap(long version, SnapshotSummary summary, params IncludedStudy[] studies) =>
        new($"r/o/{version}", "r", "o", version, Cause, "binary", new AnalysisPlan("OR", "REML", "z", null, "year"),
            studies, [], summary, JsonDocument.Parse("{}").RootElement, "1", "h");

    private static SnapshotSummary Summary(int k, double est, double lo, double hi, double p) =>
        new(k, est, lo, hi, p, 0.1, 20, null, null, null, null, null);

    private static IncludedStudy Study(string id, double ai) =>
        new(id, 1, 2020, Given.Binary(ai, 10, 5, 10), null, "2020", Math.Log(ai), 0.1, 50);

    [Fact]
    public void Between_Should_ListTrialsAddedRemovedAndChanged_FieldByField()
    {
        var from = Snap(1, Summary(2, -0.2, -0.5, 0.1, 0.2), Study("a", 2), Study("b", 3));
        var to = Snap(2, Summary(2, 0.4, 0.1, 0.7, 0.01), Study("a", 4), Study("c", 3));

        var diff = SnapshotDiff.Between(from, to);

        Assert.Equal(["c"], diff.TrialsAdded);
        Assert.Equal(["b"], diff.TrialsRemoved);
        var change = Assert.Single(diff.TrialsChanged);
        Assert.Equal(["data.ai", "yi"], change.Fields.Select(f => f.Field));
        Assert.Equal(0.6, diff.Estimate.Delta!.Value, 12);
        Assert.Equal(new ChangeFlags(true, true, true, false, true), diff.Flags);
    }

    [Fact]
    public void Flags_Should_BeNone_When_NothingMovedMuch()
    {
        var a = Summary(3, 0.50, 0.2, 0.8, 0.001);
        var b = Summary(4, 0.55, 0.25, 0.85, 0.001);

        Assert.Equal(ChangeFlags.None, ChangeFlags.Between(a, b));
        Assert.True(ChangeFlags.Between(b, Summary(5, 0.3, -0.1, 0.7, 0.2)).CiNowIncludesNull);
    }
}
