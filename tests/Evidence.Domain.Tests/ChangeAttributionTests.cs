using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>
/// The attribution of a move between two versions replays the log event by event: the contributions
/// add up to the total, each one is the difference of two consecutive fits, and an event that gives no
/// estimate passes its share on to the next one that does.
/// </summary>
public sealed class ChangeAttributionTests
{
    /// <summary>The 97.5% quantile of the standard normal distribution (R's <c>qnorm(0.975)</c>).</summary>
    private const double Z = 1.959963984540054;

    private static readonly OutcomeAnalyzer Analyzer = new();

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Contributions_Should_AddUpToTheTotal_OnARandomHistory(int seed)
    {
        var history = RandomHistory(new Random(seed), 400);
        var versions = history.Versions("response");
        var estimable = versions.Where(v => v.Summary.Estimate is not null).ToList();

        foreach (var (from, to) in new[] { (estimable[0], estimable[^1]), (estimable[2], estimable[estimable.Count / 2]), (estimable[^3], estimable[^1]) })
        {
            var attribution = ChangeAttribution.Replay(from, to, history.Events, Analyzer);

            Assert.True(attribution.MatchesStored);
            Assert.Null(attribution.Note);
            Assert.Equal(to.Version - from.Version, attribution.Events.Count);
            Assert.Equal(to.Cause.EventId, attribution.Events[^1].Cause.EventId);
            Assert.Equal(to.Version, attribution.Events[^1].Version);
            Assert.Equal(history.Events.Count(e => e.Sequence > from.Cause.Sequence && e.Sequence <= to.Cause.Sequence), attribution.EventsBetween);
            Assert.Equal(attribution.EventsBetween - attribution.Events.Count, attribution.EventsWithoutChange);
            Assert.Equal(to.Summary.Estimate - from.Summary.Estimate, attribution.Total.Estimate);
            Assert.Equal(to.Summary.Tau2 - from.Summary.Tau2, attribution.Total.Tau2);
            Assert.Equal(FitValues.Of(to.Summary), attribution.End);
            Assert.Equal(attribution.Total.Estimate!.Value, attribution.Events.Sum(e => e.Contribution.Estimate ?? 0), 1e-12);
            Assert.Equal(attribution.Total.CiWidth!.Value, attribution.Events.Sum(e => e.Contribution.CiWidth ?? 0), 1e-12);
            Assert.Equal(attribution.Total.Tau2!.Value, attribution.Events.Sum(e => e.Contribution.Tau2 ?? 0), 1e-12);
        }
        var whole = ChangeAttribution.Replay(estimable[0], estimable[^1], history.Events, Analyzer);
        Assert.Contains(whole.Events, e => e.Cause.Type == nameof(OutcomeAnalysisChanged));
        Assert.Contains(whole.Events, e => e.Cause.Type == nameof(TrialCorrected));
        Assert.Contains(whole.Events, e => e.Cause.Type == nameof(TrialExcluded));
        Assert.True(whole.EventsWithoutChange > 0);
    }

    [Fact]
    public void Contributions_Should_BeTheDifferencesOfConsecutiveFits_ByHand()
    {
        // DerSimonian-Laird on yi/vi: w = 1/vi, FE mean m = Σw·y/Σw, Q = Σw(y - m)², C = Σw - Σw²/Σw,
        // tau² = max(0, (Q - (k - 1))/C); RE weights w* = 1/(vi + tau²), estimate Σw*·y/Σw*, se = 1/√Σw*.
        var history = new History();
        history.Add(Given.Outcome("eff", "generic", "GEN", method: "DL"));
        history.Add(Given.Outcome("other", "generic", "GEN", method: "DL"));
        history.Record("a", ("eff", 1, 1));
        history.Record("b", ("eff", 0, 1));
        history.Correct("b", "eff", ("yi", 0, 4), ("vi", 1, 0.25));
        history.Record("c", ("other", 2, 1));
        history.Correct("a", "eff", ("yi", 1, 3));
        var versions = history.Versions("eff");

        var attribution = ChangeAttribution.Replay(versions[1], versions[3], history.Events, Analyzer);

        // v2: a (1, 1), b (0, 1). m = 0.5, Q = 0.25 + 0.25 = 0.5 < k - 1 = 1, so tau² = 0; se = √(1/2).
        var v2 = new FitValues(0.5, 2 * Z * Math.Sqrt(0.5), 0);
        // v3: b corrected to (4, 0.25). w = (1, 4), m = 17/5 = 3.4, Q = 2.4² + 4·0.6² = 7.2, C = 5 - 17/5 = 1.6,
        // tau² = (7.2 - 1)/1.6 = 3.875; w* = (1/4.875, 1/4.125).
        var (w1, w2) = (1 / 4.875, 1 / 4.125);
        var v3 = new FitValues((w1 * 1 + w2 * 4) / (w1 + w2), 2 * Z / Math.Sqrt(w1 + w2), 3.875);
        // v4: a corrected to (3, 1). w = (1, 4), m = 19/5 = 3.8, Q = 0.8² + 4·0.2² = 0.8 < 1, so tau² = 0; se = 1/√5.
        var v4 = new FitValues(3.8, 2 * Z / Math.Sqrt(5), 0);

        Assert.True(attribution.MatchesStored);
        Assert.Equal(3, attribution.EventsBetween);
        Assert.Equal(1, attribution.EventsWithoutChange);
        Assert.Equal([3L, 4L], attribution.Events.Select(e => e.Version));
        Assert.Equal(["b", "a"], attribution.Events.Select(e => e.Cause.TrialId));
        Near(v2, attribution.Start);
        Near(v3, attribution.Events[0].After);
        Near(Minus(v3, v2), attribution.Events[0].Contribution);
        Near(v4, attribution.Events[1].After);
        Near(Minus(v4, v3), attribution.Events[1].Contribution);
        Near(Minus(v4, v2), attribution.Total);
        Assert.Equal(3.875, attribution.Events[0].Contribution.Tau2!.Value, 1e-12);
        Assert.Equal(-3.875, attribution.Events[1].Contribution.Tau2!.Value, 1e-12);
    }

    [Fact]
    public void AStepWithoutAnEstimate_Should_ContributeNull_AndTheNextStepTakeTheDifferenceFromTheLastEstimate()
    {
        var history = new History();
        history.Add(Given.Outcome("eff", "generic", "GEN", method: "DL"));
        history.Record("a", ("eff", 1, 1));
        history.Record("b", ("eff", 0, 1));
        history.Add(new TrialExcluded("a", "ld-il2", Given.By with { Reason = "not randomised" }));
        history.Add(new TrialExcluded("b", "ld-il2", Given.By with { Reason = "not randomised" }));
        history.Add(new TrialReinstated("a", "ld-il2", Given.By with { Reason = "randomised after all" }));
        history.Record("c", ("eff", 2, 1));
        var versions = history.Versions("eff");

        var attribution = ChangeAttribution.Replay(versions[1], versions[5], history.Events, Analyzer);

        // v3: b alone (0, 1); v4: no trial, no estimate; v5: a alone (1, 1); v6: a and c, m = 1.5, Q = 0.5 < 1, tau² = 0.
        Assert.Equal([3L, 4L, 5L, 6L], attribution.Events.Select(e => e.Version));
        Assert.Equal([true, false, true, true], attribution.Events.Select(e => e.Estimable));
        Assert.Equal(new FitValues(null, null, null), attribution.Events[1].Contribution);
        Assert.Equal(new FitValues(null, null, null), attribution.Events[1].After);
        Assert.Equal(-0.5, attribution.Events[0].Contribution.Estimate!.Value, 1e-12);
        Assert.Equal(1 - 0.0, attribution.Events[2].Contribution.Estimate!.Value, 1e-12);
        Assert.Equal(1.5 - 1, attribution.Events[3].Contribution.Estimate!.Value, 1e-12);
        Assert.Equal(2 * Z - 2 * Z * Math.Sqrt(0.5), attribution.Events[0].Contribution.CiWidth!.Value, 1e-12);
        Assert.Equal(0, attribution.Events[2].Contribution.CiWidth!.Value, 1e-12);
        Assert.Equal(1.5 - 0.5, attribution.Total.Estimate!.Value, 1e-12);
        Assert.Equal(attribution.Total.Estimate.Value, attribution.Events.Sum(e => e.Contribution.Estimate ?? 0), 1e-12);
        Assert.Equal(attribution.Total.CiWidth!.Value, attribution.Events.Sum(e => e.Contribution.CiWidth ?? 0), 1e-12);
        Assert.True(attribution.MatchesStored);
    }

    [Fact]
    public void AnEndpointWithoutAnEstimate_Should_GiveNoNumbers_AndSayWhy()
    {
        var history = new History();
        history.Add(Given.Outcome("eff", "generic", "GEN", method: "DL"));
        history.Record("a", ("eff", 1, 1));
        history.Add(new TrialExcluded("a", "ld-il2", Given.By with { Reason = "not randomised" }));
        var versions = history.Versions("eff");

        var attribution = ChangeAttribution.Replay(versions[0], versions[1], history.Events, Analyzer);

        Assert.Equal("v2 has no estimate, so the change is not attributed.", attribution.Note);
        Assert.Equal(new FitValues(null, null, null), attribution.Total);
        Assert.Equal(new FitValues(null, null, null), attribution.Events.Single().Contribution);
        Assert.Equal(versions[1].Cause.EventId, attribution.Events.Single().Cause.EventId);
    }

    [Fact]
    public void Refusal_Should_AllowAtMostTheLimitOfVersionsBetween()
    {
        Assert.Null(ChangeAttribution.Refusal(1, 1 + ChangeAttribution.MaxVersions));
        Assert.Contains("1,001 versions", ChangeAttribution.Refusal(1, 2 + ChangeAttribution.MaxVersions));
    }

    [Fact]
    public void Influence_Should_BeEachLeaveOneOutShift_LargestFirst_ByHand()
    {
        // Common effect: estimate Σy/v / Σ1/v. All: (1 + 0 + 16)/6 = 17/6; without a: 16/5; without b: 17/5; without c: 1/2.
        var inputs = new OutcomeInputs("r", "eff", "generic", new AnalysisPlan("GEN", "FE", "z", null, "year"),
            [Study("a", 1, 1), Study("b", 0, 1), Study("c", 4, 0.25)], []);

        var influence = StudyInfluence.Of(Analyzer.Analyze(inputs, AnalysisDepth.Full).Analysis)!;

        Assert.Equal(["c", "b", "a"], influence.Select(i => i.TrialId));
        Assert.Equal(0.5 - 17.0 / 6, influence[0].Shift!.Value, 1e-12);
        Assert.Equal(17.0 / 5 - 17.0 / 6, influence[1].Shift!.Value, 1e-12);
        Assert.Equal(16.0 / 5 - 17.0 / 6, influence[2].Shift!.Value, 1e-12);
        Assert.Equal(0.5, influence[0].Estimate!.Value, 1e-12);
        Assert.Equal(0.5 - Z * Math.Sqrt(0.5), influence[0].CiLower!.Value, 1e-12);
        Assert.Equal(0.5 + Z * Math.Sqrt(0.5), influence[0].CiUpper!.Value, 1e-12);
        Assert.Null(StudyInfluence.Of(Analyzer.Analyze(inputs, AnalysisDepth.Studies).Analysis));
    }

    private static StudyInput Study(string id, double yi, double vi) =>
        new(id, 1, 2020, new Dictionary<string, double> { ["yi"] = yi, ["vi"] = vi }, null, "2020");

    private static FitValues Minus(FitValues a, FitValues b) => new(a.Estimate - b.Estimate, a.CiWidth - b.CiWidth, a.Tau2 - b.Tau2);

    private static void Near(FitValues expected, FitValues actual)
    {
        Assert.Equal(expected.Estimate!.Value, actual.Estimate!.Value, 1e-12);
        Assert.Equal(expected.CiWidth!.Value, actual.CiWidth!.Value, 1e-12);
        Assert.Equal(expected.Tau2!.Value, actual.Tau2!.Value, 1e-12);
    }

    /// <summary>Recordings, corrections, exclusions, reinstatements, retractions, a second outcome's events and a change of the tau² estimator.</summary>
    private static History RandomHistory(Random random, int events)
    {
        var history = new History();
        history.Add(Given.Outcome("response", "binary", "RR"));
        history.Add(Given.Outcome("other", "binary", "OR", method: "DL"));
        var withResponse = new List<string>();
        var all = new List<string>();
        void Record()
        {
            var id = $"t{all.Count:000}";
            var outcomes = random.Next(4) == 0 ? new[] { "other" } : random.Next(2) == 0 ? ["response"] : ["response", "other"];
            history.Record(id, random, outcomes);
            all.Add(id);
            if (outcomes.Contains("response"))
                withResponse.Add(id);
        }
        for (var step = 0; step < events; step++)
        {
            var pick = withResponse.Count < 4 ? 0 : random.Next(10);
            if (step == events / 2)
            {
                var plan = history.Log.Review!.Outcomes["response"].Analysis;
                history.Add(new OutcomeAnalysisChanged("ld-il2", "response", plan, plan with { Method = "DL" }, Given.By with { Reason = "protocol v2" }));
                continue;
            }
            switch (pick)
            {
                case 0 or 1 or 2:
                    Record();
                    break;
                case 3 or 4:
                    var trial = history.Log.Trials[withResponse[random.Next(withResponse.Count)]];
                    var ai = trial.Data["response"]["ai"];
                    history.Add(new TrialCorrected(trial.TrialId, "ld-il2", [new DataChange("response", "ai", ai, random.Next(1, 30))], [], Given.By with { Reason = "typo" }));
                    break;
                case 5:
                    history.Add(new TrialExcluded(withResponse[random.Next(withResponse.Count)], "ld-il2", Given.By with { Reason = "r" }));
                    break;
                case 6:
                    history.Add(new TrialReinstated(withResponse[random.Next(withResponse.Count)], "ld-il2", Given.By with { Reason = "r" }));
                    break;
                case 7:
                    history.Add(new TrialRetracted(withResponse[random.Next(withResponse.Count)], "ld-il2", "notice", Given.By with { Reason = "r" }));
                    break;
                default:
                    var other = history.Log.Trials.Values.Where(t => t.Data.ContainsKey("other")).ToList();
                    if (other.Count == 0)
                    {
                        Record();
                        break;
                    }
                    var target = other[random.Next(other.Count)];
                    history.Add(new TrialCorrected(target.TrialId, "ld-il2", [new DataChange("other", "ci", target.Data["other"]["ci"], random.Next(1, 30))], [], Given.By with { Reason = "typo" }));
                    break;
            }
        }
        return history;
    }

    /// <summary>A review's log as it is appended, and the versions the worker's rules make of it.</summary>
    private sealed class History
    {
        private readonly SnapshotRebuild snapshots = new("ld-il2", Analyzer);
        private readonly List<Snapshot> versions = [];

        public History() => Add(new ReviewCreated("ld-il2", "LD-IL-2", "q", null, Given.By));

        public List<LoggedEvent> Events { get; } = [];

        /// <summary>The review folded as far as the events go, to build the next event from.</summary>
        public ReviewLog Log { get; } = new();

        public void Add(object e)
        {
            var logged = new LoggedEvent(Guid.NewGuid(), Events.Count + 1, Given.By.At.AddMinutes(Events.Count), e);
            Events.Add(logged);
            Log.Apply(e, logged.Sequence);
            versions.AddRange(snapshots.Recompute(logged));
        }

        public void Record(string id, params (string Outcome, double Yi, double Vi)[] data) =>
            Add(new TrialRecorded(id, "ld-il2", 2020, "src", null, new Dictionary<string, string>(),
                data.ToDictionary(d => d.Outcome, d => (IReadOnlyDictionary<string, double>)new Dictionary<string, double> { ["yi"] = d.Yi, ["vi"] = d.Vi }),
                Given.By));

        public void Record(string id, Random random, string[] outcomes) =>
            Add(new TrialRecorded(id, "ld-il2", 2000 + random.Next(20), "src", null, new Dictionary<string, string>(),
                outcomes.ToDictionary(o => o, _ => (IReadOnlyDictionary<string, double>)Given.Binary(random.Next(1, 30), random.Next(10, 40), random.Next(1, 30), random.Next(10, 40))),
                Given.By));

        public void Correct(string id, string outcome, params (string Column, double Old, double New)[] changes) =>
            Add(new TrialCorrected(id, "ld-il2", [.. changes.Select(c => new DataChange(outcome, c.Column, c.Old, c.New))], [], Given.By with { Reason = "typo" }));

        public List<Snapshot> Versions(string outcome) => versions.Where(v => v.OutcomeId == outcome).ToList();
    }
}
