using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>
/// The sample review's response outcome folded from its events: four trials, then LUPIL-2's counts
/// corrected from the per-protocol to the intention-to-treat population (samples/ld-il2).
/// </summary>
public class LupilCorrectionTests
{
    private const string Lupil = "lupil2-2022";

    private static readonly (string Id, string Disease, double Ai, double Bi, double Ci, double Di)[] Trials =
    [
        ("he2020-sle-rct", "SLE", 16, 13, 9, 21),
        ("he2022-pss-rct", "pSS", 20, 10, 8, 22),
        ("zhang2022-ra-rct", "RA", 12, 5, 10, 13),
        (Lupil, "SLE", 20, 4, 15, 14),
    ];

    private static List<LoggedEvent> Events()
    {
        var events = new List<LoggedEvent>();
        void Add(object e) => events.Add(new LoggedEvent(Guid.NewGuid(), events.Count + 1, Given.By.At, e));
        Add(new ReviewCreated("ld-il2", "LD-IL-2", "Does it work?", null, Given.By));
        Add(ReviewDecider.Handle(Given.Review(), new DefineOutcome("response", "Clinical response", "binary", "RR", "REML", "knha", "disease", null), Given.By));
        foreach (var (id, disease, ai, bi, ci, di) in Trials)
        {
            Add(new TrialRecorded(id, "ld-il2", 2020, "src", null, new Dictionary<string, string> { ["disease"] = disease },
                new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = Given.Binary(ai, bi, ci, di) }, Given.By));
        }
        Add(new TrialCorrected(Lupil, "ld-il2",
            [new DataChange("response", "ai", 20, 34), new DataChange("response", "bi", 4, 16), new DataChange("response", "ci", 15, 29), new DataChange("response", "di", 14, 21)],
            [], Given.By with { Reason = "review protocol pools intention-to-treat counts, not post hoc per-protocol" }));
        return events;
    }

    private static List<Snapshot> Versions(IEnumerable<LoggedEvent> events)
    {
        var rebuild = new SnapshotRebuild("ld-il2", new OutcomeAnalyzer());
        return events.SelectMany(rebuild.Recompute).Where(s => s.OutcomeId == "response").ToList();
    }

    [Fact]
    public void Correction_Should_SignalSignificanceLost_TheCiNowIncludingTheNull_AndTheCorrectedTrial()
    {
        var versions = Versions(Events());

        Assert.Equal(5, versions.Count);
        var (before, corrected) = (versions[3], versions[4]);
        Assert.Equal("TrialCorrected", corrected.Cause.Type);
        Assert.True(before.Summary.P < 0.05 && before.Summary.NaturalCiLower > 1);
        Assert.True(corrected.Summary.P >= 0.05 && corrected.Summary.NaturalCiLower <= 1);
        var signals = corrected.Signals!;
        Assert.StartsWith("no longer significant at 0.05", signals[0].Text);
        Assert.Equal(before.Summary.P, signals[0].Before["p"]);
        Assert.Equal(corrected.Summary.P, signals[0].After["p"]);
        var ci = signals[1];
        Assert.Equal("null", ci.Threshold);
        Assert.StartsWith("the CI now includes the null (1)", ci.Text);
        Assert.Equal(before.Summary.NaturalCiLower, ci.Before["ciLower"]);
        Assert.Equal(corrected.Summary.NaturalCiUpper, ci.After["ciUpper"]);
        var status = signals.Single(s => s.Kind == SignalKinds.TrialStatus);
        Assert.Equal(Lupil, status.TrialId);
        Assert.Equal($"{Lupil}, in the analysis, was corrected", status.Text);
        // The trials no longer agree either: the prediction interval now includes the null, and I² left 0-40%.
        Assert.Equal([SignalKinds.Significance, SignalKinds.CiNull, SignalKinds.PiNull, SignalKinds.Heterogeneity, SignalKinds.TrialStatus],
            signals.Select(s => s.Kind));
    }

    [Fact]
    public void Versions_Should_CarrySignalsFromTheSecondOn_AndARebuildShouldFindThemEqual()
    {
        var events = Events();
        var versions = Versions(events);

        Assert.Empty(versions[0].Signals!);
        Assert.Contains(versions[1].Signals!, s => s.Kind == SignalKinds.NewTrialWeight && s.TrialId == "he2022-pss-rct");
        Assert.DoesNotContain(versions.Skip(1).Take(3).SelectMany(s => s.Signals!), s => s.Kind == SignalKinds.TrialStatus);
        Assert.True(SnapshotRebuild.Compare("ld-il2", events, versions, new OutcomeAnalyzer()).Identical);
    }

    [Fact]
    public void ThresholdsSet_Should_GiveAVersionWithTheAbsoluteEffect_AndNoSignalsWhereTheEstimateStayed()
    {
        var events = Events();
        events.Add(new LoggedEvent(Guid.NewGuid(), events.Count + 1, Given.By.At,
            new OutcomeThresholdsSet("ld-il2", "response", null, new DecisionThresholds(Lower: 0.8, Upper: 1.25, PooledControlRisk: true, HigherIsBetter: true), Given.By)));

        var versions = Versions(events);

        var last = versions[^1];
        Assert.Equal(6, last.Version);
        Assert.Equal(versions[^2].Summary, last.Summary);
        Assert.Empty(last.Signals!);
        Assert.Equal(1, last.Thresholds!.Null);
        // Control groups after the correction: (9 + 8 + 10 + 29) / (30 + 30 + 23 + 50) = 56 / 133.
        var absolute = last.Absolute!;
        Assert.Equal("pooled", absolute.ControlRiskSource);
        Assert.Equal(56.0 / 133, absolute.ControlRisk!.Value, 1e-12);
        Assert.Equal(1000 * (56.0 / 133 * last.Summary.NaturalEstimate!.Value - 56.0 / 133), absolute.PerThousand, 1e-9);
        Assert.True(absolute.Nnt.SpansNull);
        Assert.Equal("benefit", absolute.Nnt.Kind);
    }
}
