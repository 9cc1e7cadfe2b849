using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>
/// Above <see cref="SnapshotRules.StoredStudyLimit"/> included trials a version stores its headline
/// only; completing it on read must give exactly what a version stored in full would hold.
/// </summary>
public class StudiesOnReadTests
{
    private static readonly OutcomeAnalyzer Analyzer = new();

    private static (List<LoggedEvent> Events, ReviewLog Log) Review(int trials)
    {
        var events = new List<LoggedEvent>();
        var log = new ReviewLog();
        void Add(object e)
        {
            var logged = new LoggedEvent(Guid.NewGuid(), events.Count + 1, Given.By.At, e);
            events.Add(logged);
            log.Apply(e, logged.Sequence);
        }
        Add(new ReviewCreated("ld-il2", "t", "q", null, Given.By));
        Add(Given.Outcome("response", "binary", "RR", subgroup: "disease"));
        for (var n = 1; n <= trials; n++)
        {
            Add(new TrialRecorded($"t{n:0000}", "ld-il2", 1990 + n % 30, "src", null,
                new Dictionary<string, string> { ["disease"] = n % 3 == 0 ? "SLE" : "RA" },
                new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = Given.Binary(5 + n % 17, 20 + n % 11, 4 + n % 13, 22 + n % 7) },
                Given.By));
        }
        return (events, log);
    }

    [Fact]
    public void AtTheLimit_AVersion_Should_StoreEverything()
    {
        var (_, log) = Review(SnapshotRules.StoredStudyLimit);
        var analyzed = Analyzer.Analyze(log.Inputs("response"));

        Assert.False(analyzed.StudiesOnRead);
        Assert.Equal(SnapshotRules.StoredStudyLimit, analyzed.Included.Count);
        Assert.True(analyzed.Result.TryGetProperty("leave_one_out", out _));
    }

    [Fact]
    public void AboveTheLimit_AVersion_Should_StoreTheHeadline_AndCompleteOnRead_AsIfStoredInFull()
    {
        var (events, log) = Review(SnapshotRules.StoredStudyLimit + 1);
        var inputs = log.Inputs("response");
        var hash = log.Hash("response");
        var cause = SnapshotRules.Cause(events[^1]);
        var stored = SnapshotRules.Build(inputs, hash, cause, 1, Analyzer.Analyze(inputs), Analyzer.EngineVersion);
        var full = SnapshotRules.Build(inputs, hash, cause, 1, Analyzer.Analyze(inputs, AnalysisDepth.Full), Analyzer.EngineVersion);

        Assert.True(stored.StudiesOnRead);
        Assert.Empty(stored.Included);
        foreach (var section in new[] { "studies", "cumulative", "leave_one_out" })
            Assert.False(stored.Result.TryGetProperty(section, out _), section);
        Assert.Equal(full.Summary, stored.Summary);
        Assert.Equal(full.Result.GetProperty("subgroups").GetRawText(), stored.Result.GetProperty("subgroups").GetRawText());

        var completed = SnapshotStudies.Complete(stored, events, Analyzer, AnalysisDepth.Full);

        Assert.Equal(full.Included, completed.Included);
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(
            System.Text.Json.Nodes.JsonNode.Parse(full.Result.GetRawText()), System.Text.Json.Nodes.JsonNode.Parse(completed.Result.GetRawText())));
    }

    [Fact]
    public void Completing_Should_Refuse_InputsThatNoLongerHashToTheStoredHash()
    {
        var (events, log) = Review(SnapshotRules.StoredStudyLimit + 1);
        var inputs = log.Inputs("response");
        var stored = SnapshotRules.Build(inputs, "not-the-hash", SnapshotRules.Cause(events[^1]), 1, Analyzer.Analyze(inputs), Analyzer.EngineVersion);

        Assert.Throws<SnapshotInputsChangedException>(() => SnapshotStudies.Complete(stored, events, Analyzer, AnalysisDepth.Studies));
    }
}
