using Evidence.Domain.Judgement;
using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Tests.Sequential;

/// <summary>
/// The looks of an outcome's versions and the section each version carries. The numbers expected are
/// computed by hand from the reference's rules (../shared/reference/tsa/README.md): with alpha 0.05,
/// beta 0.2, control risk 0.3 and RRR 0.25 (pe = 0.225), RIS = 4 (z_0.975 + z_0.8)² p̄(1 - p̄) / δ² = 1080.529 participants.
/// </summary>
public class SequentialRulesTests
{
    private const double Ris = 1080.5291100953905;

    /// <summary>
    /// Four trials of one risk ratio (2/3) and sizes 300, 400, 500, 100: the second is excluded and
    /// reinstated, thresholds are set, and the measure changes from RR to OR at the end.
    /// </summary>
    private static List<Snapshot> Story() => new SequentialLog()
        .Set(SequentialLog.Binary())
        .Trial("t1", 30, 120, 45, 105)      // v1: look 1, 300
        .Thresholds()                       // v2: no look
        .Trial("t2", 40, 160, 60, 140)      // v3: look 2, 700
        .Exclude("t2")                      // v4: look 3, 300: information fell
        .Reinstate("t2")                    // v5: look 4, 700
        .Trial("t3", 50, 200, 75, 175)      // v6: look 5, 1200: the RIS is reached
        .Trial("t4", 10, 40, 15, 35)        // v7: look 6, 1300
        .Measure("RR", "OR")                // v8: the looks restart
        .Versions();

    [Fact]
    public void Looks_Should_BeTheVersionsThatChangedTheData_InVersionOrder()
    {
        var versions = Story();

        Assert.Equal(8, versions.Count);
        Assert.All(versions, v => Assert.NotNull(v.Sequential));
        Assert.Equal([1L], versions[0].Sequential!.Looks.Select(l => l.Version));
        Assert.Equal([1L], versions[1].Sequential!.Looks.Select(l => l.Version));
        Assert.Equal([1L, 3, 4, 5, 6, 7], versions[6].Sequential!.Looks.Select(l => l.Version));
        Assert.Equal([1, 2, 1, 2, 3, 4], versions[6].Sequential!.Looks.Select(l => l.K));
        Assert.Equal([300.0, 700, 300, 700, 1200, 1300], versions[6].Sequential!.Looks.Select(l => l.Participants));
    }

    [Fact]
    public void FirstLook_Should_BeTheTrialsOwnZ_WithTheClosedFormBoundary()
    {
        var look = Story()[0].Sequential!.Looks[0];

        // log RR of 30/150 against 45/150, v = 1/a - 1/n1 + 1/c - 1/n2.
        var y = Math.Log(0.2 / 0.3);
        var v = 1.0 / 30 - 1.0 / 150 + 1.0 / 45 - 1.0 / 150;
        Assert.Equal(y, look.Estimate, 12);
        Assert.Equal(Math.Sqrt(v), look.Se, 12);
        Assert.Equal(y / Math.Sqrt(v), look.Z, 10);
        Assert.Equal(300 / Ris, look.T, 9);
        Assert.Equal("interim", look.LookType);
        // a*(t) = 4 (1 - Φ(Φ⁻¹(1 - alpha/4) / sqrt t)), boundary Φ⁻¹(1 - a*/2).
        Assert.Equal(4.2033802152730004e-05, look.AlphaSpent, 1e-10);
        Assert.Equal(4.0960065614147485, look.Boundary!.Value, 6);
        Assert.False(look.Crossed);
        Assert.Equal(2.0 / 3, look.NaturalEstimate!.Value, 12);
    }

    [Fact]
    public void Section_Should_CarryTheRis_AndTheVersionsParticipants()
    {
        var section = Story()[6].Sequential!;

        Assert.Equal(Ris, section.Ris, 6);
        Assert.Equal(Ris, section.RisAdjusted, 6);
        Assert.Equal(0, section.HeterogeneityFraction);
        Assert.Equal(1300, section.Participants);
        Assert.True(section.RisReached);
        Assert.Equal(0.3, section.ControlRisk);
        Assert.Null(section.Note);
    }

    [Fact]
    public void FallingInformation_Should_GiveALookWithoutBoundary_AndSpendNoLessAlpha()
    {
        var looks = Story()[4].Sequential!.Looks;

        Assert.Equal(["interim", "interim", "none", "none"], looks.Select(l => l.LookType));
        Assert.Null(looks[2].Boundary);
        Assert.False(looks[2].Crossed);
        Assert.Equal(looks[1].AlphaSpent, looks[2].AlphaSpent);
        // Back to the information of look 2: under 1% of the RIS beyond the last interim look.
        Assert.Null(looks[3].Boundary);
        Assert.Equal(looks[1].T, looks[3].T, 12);
    }

    [Fact]
    public void AfterTheRis_Should_ComeTheFinalLook_ThenPostFinalLooks_WithItsBoundary()
    {
        var looks = Story()[6].Sequential!.Looks;

        Assert.Equal("final", looks[4].LookType);
        Assert.Equal("post_final", looks[5].LookType);
        Assert.Equal(looks[4].Boundary, looks[5].Boundary);
        Assert.Equal(0.05, looks[4].AlphaSpent, 12);
        Assert.Equal(0.05, looks[5].AlphaSpent, 12);
        Assert.True(looks[4].T >= 1);
    }

    [Fact]
    public void VersionsThatAreNotLooks_Should_StillRecomputeTheirSection()
    {
        var versions = Story();

        Assert.Equal("OutcomeThresholdsSet", versions[1].Cause.Type);
        Assert.Equal(versions[0].Sequential!.Looks, versions[1].Sequential!.Looks);
    }

    [Fact]
    public void ChangeOfMeasure_Should_RestartTheLooks_AndSaySo()
    {
        var section = Story()[7].Sequential!;

        var look = Assert.Single(section.Looks);
        Assert.Equal(8, look.Version);
        Assert.Equal(4, look.K);
        Assert.Equal("final", look.LookType);
        // A final look with no interim before it: z_{1 - alpha/2}.
        Assert.Equal(1.959963984540054, look.Boundary!.Value, 6);
        Assert.Contains("restart", section.Note);
        Assert.Contains("version 8", section.Note);
    }

    [Fact]
    public void Signals_Should_FireWhenTheZCurveCrossesOrStopsCrossing_AndWhenTheRisIsReached()
    {
        var versions = Story();
        string[] Kinds(int i) => [.. versions[i].Signals!.Select(s => s.Kind).Where(k => k is SignalKinds.SequentialBoundary or SignalKinds.InformationSize)];

        Assert.Empty(Kinds(1));
        Assert.True(versions[2].Sequential!.Looks[^1].Crossed);
        Assert.Equal([SignalKinds.SequentialBoundary], Kinds(2));
        Assert.StartsWith("the cumulative Z now crosses the monitoring boundary", versions[2].Signals!.First(s => s.Kind == SignalKinds.SequentialBoundary).Text);
        Assert.Equal([SignalKinds.SequentialBoundary], Kinds(3));
        Assert.StartsWith("the cumulative Z no longer crosses", versions[3].Signals!.First(s => s.Kind == SignalKinds.SequentialBoundary).Text);
        Assert.Empty(Kinds(4));
        Assert.Equal([SignalKinds.SequentialBoundary, SignalKinds.InformationSize], Kinds(5));
        var reached = versions[5].Signals!.Single(s => s.Kind == SignalKinds.InformationSize);
        Assert.Equal(1200, reached.After["participants"]);
        Assert.Equal(700, reached.Before["participants"]);
        Assert.Empty(Kinds(6));
        Assert.Empty(Kinds(7));
    }

    [Fact]
    public void SequentialSignals_Should_BeSwitchedOffByTheRules()
    {
        var rules = SignalRules.Default with { SequentialBoundary = new RuleSetting(false), InformationSize = new RuleSetting(false) };
        var versions = new SequentialLog()
            .Add(new Reviews.OutcomeSignalRulesSet(SequentialLog.ReviewId, SequentialLog.Outcome, null, rules, Given.By))
            .Set(SequentialLog.Binary())
            .Trial("t1", 30, 120, 45, 105).Trial("t2", 40, 160, 60, 140).Trial("t3", 50, 200, 75, 175)
            .Versions();

        Assert.True(versions[2].Sequential!.RisReached);
        Assert.DoesNotContain(versions.SelectMany(v => v.Signals!), s => s.Kind is SignalKinds.SequentialBoundary or SignalKinds.InformationSize);
    }

    [Fact]
    public void LooksBeforeTheParameters_Should_Count_AndSettingThem_Should_BeNoLook()
    {
        var versions = new SequentialLog()
            .Trial("t1", 30, 120, 45, 105).Trial("t2", 40, 160, 60, 140)
            .Set(SequentialLog.Binary())
            .Versions();

        Assert.Null(versions[0].Sequential);
        Assert.Null(versions[1].Sequential);
        Assert.Equal("OutcomeSequentialSet", versions[2].Cause.Type);
        Assert.Equal([1L, 2], versions[2].Sequential!.Looks.Select(l => l.Version));
        Assert.Equal(versions[1].Summary, versions[2].Summary);
        // Setting them raises no sequential signal: the version before had no section.
        Assert.Empty(versions[2].Signals!);
    }

    [Fact]
    public void CorrectionOfAnAttribute_Should_MakeAVersionButNoLook()
    {
        var versions = new SequentialLog().Set(SequentialLog.Binary())
            .Trial("t1", 30, 120, 45, 105).Disease("t1", "SLE", "RA")
            .Versions();

        Assert.Equal(2, versions.Count);
        Assert.Equal([1L], versions[1].Sequential!.Looks.Select(l => l.Version));
    }

    [Fact]
    public void PooledControlRisk_Should_BeTheControlEventsOverTheControlParticipants_OfTheVersion()
    {
        var versions = new SequentialLog().Set(SequentialLog.Binary(pooled: true))
            .Trial("t1", 30, 120, 45, 105).Trial("t2", 40, 160, 20, 180)
            .Versions();

        Assert.Equal(45.0 / 150, versions[0].Sequential!.ControlRisk);
        Assert.Equal((45.0 + 20) / (150 + 200), versions[1].Sequential!.ControlRisk!.Value, 12);
        Assert.Equal(Ris, versions[0].Sequential!.Ris, 6);
        Assert.NotEqual(versions[0].Sequential!.Ris, versions[1].Sequential!.Ris);
    }

    [Fact]
    public void PooledControlRiskOfZero_Should_GiveASectionWithoutLooks_ThatSaysWhy()
    {
        var versions = new SequentialLog().Set(SequentialLog.Binary(pooled: true))
            .Trial("t1", 0, 50, 0, 50).Trial("t2", 3, 47, 5, 45)
            .Versions();

        var none = versions[0].Sequential!;
        Assert.Equal(0, none.Ris);
        Assert.Empty(none.Looks);
        Assert.False(none.RisReached);
        Assert.Contains("not computed", none.Note);
        Assert.Equal(100, none.Participants);
        // The next version computes it, with both looks.
        Assert.Equal(2, versions[1].Sequential!.Looks.Count);
        Assert.Null(versions[1].Sequential!.Note);
    }

    [Fact]
    public void AllZeroTables_Should_BeLooksWithTheHalfAdded()
    {
        var section = new SequentialLog().Set(SequentialLog.Binary())
            .Trial("t1", 0, 50, 0, 50)
            .Versions()[0].Sequential!;

        var look = Assert.Single(section.Looks);
        Assert.Equal(0, look.Estimate, 12);
        Assert.Equal(100, look.Participants);
    }

    [Fact]
    public void Heterogeneity_Should_AdjustTheRisOfEachVersion_AndRecomputeEveryLooksT()
    {
        var versions = new SequentialLog().Set(SequentialLog.Binary("D2"))
            .Trial("t1", 30, 120, 45, 105).Trial("t2", 60, 90, 30, 120).Trial("t3", 10, 140, 50, 100)
            .Versions();

        var first = versions[0].Sequential!;
        var last = versions[2].Sequential!;
        Assert.Equal(0, first.HeterogeneityFraction);
        Assert.True(last.D2 > 0.5);
        Assert.Equal(last.D2, last.HeterogeneityFraction);
        Assert.Equal(last.Ris / (1 - last.D2), last.RisAdjusted, 9);
        Assert.Equal(300 / last.RisAdjusted, last.Looks[0].T, 12);
        Assert.NotEqual(first.Looks[0].T, last.Looks[0].T);
    }

    [Fact]
    public void RetractionOfEveryTrial_Should_BeNoLook_AndTheVersionStillCarriesTheSection()
    {
        var versions = new SequentialLog().Set(SequentialLog.Binary())
            .Trial("t1", 30, 120, 45, 105).Retract("t1")
            .Versions();

        var section = versions[1].Sequential!;
        Assert.Equal(0, section.Participants);
        Assert.Equal([1L], section.Looks.Select(l => l.Version));
        Assert.False(section.RisReached);
    }

    [Fact]
    public void MeanDifference_Should_UseTheContinuousRis()
    {
        var settings = new SequentialSettings(0.05, 0.1, "0.5", "Pocock", MeanDifference: 2, StandardDeviation: 5);
        var section = new SequentialLog("MD", "continuous").Set(settings)
            .Continuous("t1", 10, 5, 40, 12, 5, 40)
            .Versions()[0].Sequential!;

        var z = 1.959963984540054 + 1.2815515655446004;
        Assert.Equal(4 * z * z * 25 / 4, section.Ris, 6);
        Assert.Equal(2 * section.Ris, section.RisAdjusted, 6);
        Assert.Equal(80, section.Participants);
        Assert.Equal(-2, Assert.Single(section.Looks).Estimate, 12);
        Assert.Null(section.Looks[0].NaturalEstimate);
    }

    [Fact]
    public void Hash_Should_ChangeWithTheParameters_AndComeBackWhenTheyAreCleared()
    {
        var inputs = new OutcomeInputs("r", "o", "binary", new Outcomes.AnalysisPlan("RR", "REML", "z", null, "year"), [], []);

        Assert.NotEqual(inputs.Hash(), (inputs with { Sequential = SequentialLog.Binary() }).Hash());
        Assert.Equal(inputs.Hash(), (inputs with { Sequential = null }).Hash());
    }

    [Fact]
    public void Rebuild_Should_FindStoredSectionsIdentical_AndReportAChangedOne()
    {
        var log = new SequentialLog().Set(SequentialLog.Binary()).Trial("t1", 30, 120, 45, 105).Trial("t2", 40, 160, 60, 140);
        var stored = log.Versions();

        Assert.True(SnapshotRebuild.Compare(SequentialLog.ReviewId, log.Events, stored, new OutcomeAnalyzer()).Identical);
        var altered = stored.Select(s => s.Version == 2 ? s with { Sequential = s.Sequential! with { Ris = 1 } } : s).ToList();
        var report = SnapshotRebuild.Compare(SequentialLog.ReviewId, log.Events, altered, new OutcomeAnalyzer());
        Assert.Contains(report.Differences.Single().Differences, d => d.StartsWith("sequential.ris", StringComparison.Ordinal));
        // A version stored before sections existed is compared on the rest.
        var before = stored.Select(s => s with { Sequential = null }).ToList();
        Assert.True(SnapshotRebuild.Compare(SequentialLog.ReviewId, log.Events, before, new OutcomeAnalyzer()).Identical);
    }
}
