using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>A batch of recorded trials yields one version per outcome it changed, at its last event, naming the batch.</summary>
public class TrialBatchRulesTests
{
    private static readonly OutcomeAnalyzer Analyzer = new();

    private sealed class Log
    {
        public readonly List<LoggedEvent> Events = [];

        public LoggedEvent Add(object e)
        {
            var logged = new LoggedEvent(Guid.NewGuid(), Events.Count + 1, Given.By.At, e);
            Events.Add(logged);
            return logged;
        }
    }

    private static Log Review()
    {
        var log = new Log();
        log.Add(new ReviewCreated("rb", "t", "q", null, Given.By));
        log.Add(Given.Outcome("response", "binary", "RR"));
        log.Add(Given.Outcome("remission", "binary", "RR"));
        log.Add(Given.Outcome("untouched", "binary", "RR"));
        return log;
    }

    private static TrialRecorded Trial(int n, TrialBatch? batch, params string[] outcomes) =>
        new($"t{n:0000}", "rb", 1990 + n % 30, "src", null, new Dictionary<string, string>(),
            outcomes.ToDictionary(o => o, o => (IReadOnlyDictionary<string, double>)Given.Binary(5 + n % 17, 20 + n % 11, 4 + n % 13, 22 + n % 7)),
            Given.By, batch);

    private static IEnumerable<TrialRecorded> Batch(Guid id, int first, int count, params string[] outcomes) =>
        Enumerable.Range(0, count).Select(i => Trial(first + i, new TrialBatch(id, i, count), outcomes));

    [Fact]
    public void Apply_Should_YieldNothingBeforeTheLastEvent_ThenOneVersionPerChangedOutcome_NamingTheBatch()
    {
        var log = Review();
        var folded = new ReviewLog();
        foreach (var e in log.Events)
            SnapshotRules.Apply(folded, e, _ => false);
        var id = Guid.NewGuid();
        var events = new[] { Trial(1, new TrialBatch(id, 0, 3), "response"), Trial(2, new TrialBatch(id, 1, 3), "response", "remission"), Trial(3, new TrialBatch(id, 2, 3), "response") }
            .Select(log.Add).ToList();

        Assert.Empty(SnapshotRules.Apply(folded, events[0], _ => false));
        Assert.Empty(SnapshotRules.Apply(folded, events[1], _ => false));
        Assert.NotNull(folded.Batch);
        var changed = SnapshotRules.Apply(folded, events[2], _ => false);

        Assert.Null(folded.Batch);
        Assert.Equal(["response", "remission"], changed.Select(c => c.Inputs.OutcomeId));
        Assert.Equal([3, 1], changed.Select(c => c.Inputs.Included.Count));
        foreach (var c in changed)
        {
            Assert.Equal(new SnapshotCause(events[2].Id, SnapshotCause.TrialsRecorded, events[2].Sequence, null, "alice", Given.By.At, null,
                new SnapshotBatch(id, 3, events[0].Sequence)), c.Cause);
            Assert.Equal(["t0001", "t0002", "t0003"], c.BatchTrials!);
            Assert.Equal(folded.Hash(c.Inputs.OutcomeId), c.Hash);
        }
    }

    [Fact]
    public void Apply_Should_CompleteABatch_WhateverTheOrderOfItsIndexes()
    {
        var log = Review();
        var id = Guid.NewGuid();
        foreach (var e in Batch(id, 1, 4, "response").Reverse())
            log.Add(e);

        var versions = Rebuilt(log.Events);

        var only = Assert.Single(versions);
        Assert.Equal(log.Events[^1].Id, only.Cause.EventId);
        Assert.Equal(4, only.Summary.K);
    }

    [Fact]
    public void Apply_Should_TakeAnotherCommandsEventAmongABatchsEvents_IntoTheBatch()
    {
        var log = Review();
        var id = Guid.NewGuid();
        var batch = Batch(id, 1, 3, "response").ToList();
        log.Add(batch[0]);
        log.Add(Trial(9, null, "remission"));
        log.Add(batch[1]);
        log.Add(batch[2]);

        var versions = Rebuilt(log.Events);

        Assert.Equal(["response", "remission"], versions.Select(v => v.OutcomeId));
        Assert.All(versions, v => Assert.Equal(new SnapshotBatch(id, 3, 5), v.Cause.Batch));
    }

    [Fact]
    public void Apply_Should_GiveSingleEventsTheirOwnVersions_BeforeAndAfterABatch()
    {
        var log = Review();
        log.Add(Trial(1, null, "response"));
        foreach (var e in Batch(Guid.NewGuid(), 2, 5, "response"))
            log.Add(e);
        log.Add(Trial(7, null, "response"));

        var versions = Rebuilt(log.Events);

        Assert.Equal([nameof(TrialRecorded), SnapshotCause.TrialsRecorded, nameof(TrialRecorded)],
            versions.Select(v => v.Cause.Type));
        Assert.Equal([1, 6, 7], versions.Select(v => v.Summary.K));
        Assert.Equal([1L, 2L, 3L], versions.Select(v => v.Version));
    }

    [Fact]
    public void Rebuild_Should_RecomputeABatchIdentically_WhenTheLogIsReadInPagesThatSplitIt()
    {
        var log = Review();
        log.Add(Trial(1, null, "response"));
        foreach (var e in Batch(Guid.NewGuid(), 2, 30, "response", "remission"))
            log.Add(e);
        foreach (var e in Batch(Guid.NewGuid(), 40, 30, "response"))
            log.Add(e);
        var stored = Rebuilt(log.Events);

        // Pages of 7 events: each batch straddles several; one rebuild is fed page after page.
        foreach (var size in new[] { 1, 7, 30 })
        {
            var rebuild = new SnapshotRebuild("rb", Analyzer);
            var byId = stored.ToDictionary(s => s.Id);
            foreach (var page in log.Events.Chunk(size))
            {
                foreach (var snapshot in page.SelectMany(rebuild.Recompute).ToList())
                    rebuild.Check(snapshot, byId.Remove(snapshot.Id, out var old) ? old : null);
            }
            foreach (var extra in byId.Values)
                rebuild.Extra(extra);
            var report = rebuild.Report();
            Assert.True(report.Identical);
            Assert.Equal(stored.Count, report.VersionsChecked);
        }
        Assert.Equal([1L, 2L, 3L], stored.Where(s => s.OutcomeId == "response").Select(s => s.Version));
        Assert.Equal([1L], stored.Where(s => s.OutcomeId == "remission").Select(s => s.Version));
    }

    [Fact]
    public void Apply_Should_ResumeABatchOnlyFromTheLogItWasOpenedIn_AndFoldWithoutTrackingBeforeTheProgress()
    {
        // The worker folds events up to its stored progress untracked; a progress never falls inside a batch.
        var log = Review();
        foreach (var e in Batch(Guid.NewGuid(), 1, 4, "response"))
            log.Add(e);
        var progress = log.Events[^1].Sequence;
        foreach (var e in Batch(Guid.NewGuid(), 5, 4, "response"))
            log.Add(e);

        var folded = new ReviewLog();
        var changed = log.Events.SelectMany(e => SnapshotRules.Apply(folded, e, _ => true, track: e.Sequence > progress)).ToList();

        var only = Assert.Single(changed);
        Assert.Equal(8, only.Inputs.Included.Count);
        Assert.Equal(progress + 1, only.Cause.Batch!.FirstSequence);
    }

    [Fact]
    public void Build_Should_JudgeABatchAgainstTheVersionBefore_AndReadItsHeaviestNewTrialForNewTrialWeight()
    {
        var log = Review();
        log.Add(Trial(1, null, "response"));
        log.Add(Trial(2, null, "response"));
        var id = Guid.NewGuid();
        var heavy = new TrialRecorded("big", "rb", 2020, "src", null, new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = Given.Binary(300, 700, 150, 850) }, Given.By, new TrialBatch(id, 1, 2));
        log.Add(Trial(3, new TrialBatch(id, 0, 2), "response"));
        log.Add(heavy);

        var versions = Rebuilt(log.Events);

        var batch = versions[^1];
        Assert.Equal(3, batch.Version);
        var signal = Assert.Single(batch.Signals!, s => s.Kind == SignalKinds.NewTrialWeight);
        Assert.Equal("big", signal.TrialId);
        Assert.DoesNotContain(batch.Signals!, s => s.Kind == SignalKinds.TrialStatus);
    }

    [Fact]
    public void ChangeReplay_Should_AttributeABatchAsOneStep_NamingTheBatch()
    {
        var log = Review();
        log.Add(Trial(1, null, "response"));
        var id = Guid.NewGuid();
        foreach (var e in Batch(id, 2, 5, "response"))
            log.Add(e);
        log.Add(Trial(9, null, "response"));
        var versions = Rebuilt(log.Events).Where(v => v.OutcomeId == "response").ToList();

        var attribution = ChangeAttribution.Replay(versions[0], versions[2], log.Events, Analyzer);

        Assert.True(attribution.MatchesStored);
        Assert.Equal([SnapshotCause.TrialsRecorded, nameof(TrialRecorded)], attribution.Events.Select(e => e.Cause.Type));
        Assert.Equal(id, attribution.Events[0].Cause.Batch!.Id);
        Assert.Equal([2L, 3L], attribution.Events.Select(e => e.Version));
    }

    private static List<Snapshot> Rebuilt(IEnumerable<LoggedEvent> events)
    {
        var rebuild = new SnapshotRebuild("rb", Analyzer);
        return [.. events.SelectMany(rebuild.Recompute)];
    }
}
