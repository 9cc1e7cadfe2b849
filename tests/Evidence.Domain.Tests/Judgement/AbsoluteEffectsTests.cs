using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;
using Evidence.Statistics;
using static Evidence.Domain.Tests.Judgement.Versions;

namespace Evidence.Domain.Tests.Judgement;

/// <summary>Absolute effects worked by hand: risks, per 1,000, and numbers needed to treat.</summary>
public class AbsoluteEffectsTests
{
    private const double Tolerance = 1e-9;

    private static readonly MeasureDefinition RR = MeasureCatalogue.Of(Measure.RR);
    private static readonly MeasureDefinition OR = MeasureCatalogue.Of(Measure.OR);
    private static readonly MeasureDefinition RD = MeasureCatalogue.Of(Measure.RD);

    private static StudyInput Study(string id, double ci, double di) => new(id, 1, 2020, Given.Binary(10, 10, ci, di), null, "2020");

    [Fact]
    public void RiskRatio_Should_ScaleTheControlRisk()
    {
        // CR 0.2, RR 0.6 (0.4 to 0.9). Intervention risk 0.2·0.6 = 0.12: 1000·(0.12 - 0.2) = -80 per 1,000;
        // CI 1000·(0.08 - 0.2) = -120 to 1000·(0.18 - 0.2) = -20. Fewer events are better: NNTB 1/0.08 = 12.5 -> 13,
        // CI 1/0.12 = 8.33 -> 9 to 1/0.02 = 50.
        var effect = AbsoluteEffects.Of(RR, Ratio(0.6, 0.4, 0.9), new DecisionThresholds(ControlRisk: 0.2), [])!;

        Assert.Equal(0.2, effect.ControlRisk);
        Assert.Equal("assumed", effect.ControlRiskSource);
        Assert.Equal(0.12, effect.InterventionRisk!.Value, Tolerance);
        Assert.Equal(-80, effect.PerThousand, Tolerance);
        Assert.Equal(-120, effect.PerThousandLower, Tolerance);
        Assert.Equal(-20, effect.PerThousandUpper, Tolerance);
        Assert.Equal("benefit", effect.Nnt.Kind);
        Assert.Equal(12.5, effect.Nnt.Value!.Value, Tolerance);
        Assert.False(effect.Nnt.SpansNull);
        Assert.Equal("benefit", effect.Nnt.Lower.Kind);
        Assert.Equal(1 / 0.12, effect.Nnt.Lower.Value!.Value, Tolerance);
        Assert.Equal(50, effect.Nnt.Upper.Value!.Value, Tolerance);
        Assert.Equal("NNTB 13 (NNTB 9 to 50)", effect.Nnt.Text);
    }

    [Fact]
    public void OddsRatio_Should_ScaleTheControlOdds_AndSpanTheNullAsAltmanDoes()
    {
        // CR 0.2, OR 0.5 (0.25 to 1.25); risk = CR·OR / (1 - CR + CR·OR).
        // Estimate: 0.1 / 0.9 = 1/9, minus 0.2 = -4/45 (-88.89 per 1,000): NNTB 45/4 = 11.25 -> 12.
        // Lower: 0.05 / 0.85 = 1/17, minus 0.2 = -12/85 (-141.18): NNTB 85/12 = 7.08 -> 8.
        // Upper: 0.25 / 1.05 = 5/21, minus 0.2 = 4/105 (+38.10): NNTH 105/4 = 26.25 -> 27.
        var effect = AbsoluteEffects.Of(OR, Ratio(0.5, 0.25, 1.25), new DecisionThresholds(ControlRisk: 0.2), [])!;

        Assert.Equal(1.0 / 9, effect.InterventionRisk!.Value, Tolerance);
        Assert.Equal(-4000.0 / 45, effect.PerThousand, Tolerance);
        Assert.Equal(-12000.0 / 85, effect.PerThousandLower, Tolerance);
        Assert.Equal(4000.0 / 105, effect.PerThousandUpper, Tolerance);
        Assert.True(effect.Nnt.SpansNull);
        Assert.Equal("benefit", effect.Nnt.Lower.Kind);
        Assert.Equal(85.0 / 12, effect.Nnt.Lower.Value!.Value, Tolerance);
        Assert.Equal("harm", effect.Nnt.Upper.Kind);
        Assert.Equal(26.25, effect.Nnt.Upper.Value!.Value, Tolerance);
        Assert.Equal("NNTB 12 (NNTH 27 to ∞ to NNTB 8)", effect.Nnt.Text);
    }

    [Fact]
    public void PetoOddsRatio_Should_CountAsAnOddsRatio()
    {
        var peto = AbsoluteEffects.Of(MeasureCatalogue.Of(Measure.PETO), Ratio(0.5, 0.25, 1.25), new DecisionThresholds(ControlRisk: 0.2), []);

        Assert.Equal("NNTB 12 (NNTH 27 to ∞ to NNTB 8)", peto!.Nnt.Text);
    }

    [Fact]
    public void Nnt_Should_BeToHarm_WhenTheDifferenceGoesAgainstThePatient_AndToBenefitWhenMoreIsBetter()
    {
        // CR 0.1, RR 2 (1.5 to 3): risks 0.2, 0.15, 0.3; differences +100, +50, +200 per 1,000.
        var summary = Ratio(2, 1.5, 3);

        var harm = AbsoluteEffects.Of(RR, summary, new DecisionThresholds(ControlRisk: 0.1), [])!;
        var benefit = AbsoluteEffects.Of(RR, summary, new DecisionThresholds(ControlRisk: 0.1, HigherIsBetter: true), [])!;

        Assert.Equal(100, harm.PerThousand, Tolerance);
        Assert.Equal("harm", harm.Nnt.Kind);
        Assert.Equal("NNTH 10 (NNTH 5 to 20)", harm.Nnt.Text);
        Assert.Equal("benefit", benefit.Nnt.Kind);
        Assert.Equal("NNTB 10 (NNTB 5 to 20)", benefit.Nnt.Text);
    }

    [Fact]
    public void ControlRisk_Should_BePooledFromTheControlGroups_UnlessOneIsAssumed()
    {
        // Control groups 10/50 and 20/50: Σc / Σ(c + d) = 30 / 100 = 0.3. RR 0.5: risk 0.15, -150 per 1,000.
        IReadOnlyList<StudyInput> included = [Study("a", 10, 40), Study("b", 20, 30)];

        var pooled = AbsoluteEffects.Of(RR, Ratio(0.5, 0.25, 1.0), new DecisionThresholds(PooledControlRisk: true), included)!;
        var assumed = AbsoluteEffects.Of(RR, Ratio(0.5, 0.25, 1.0), new DecisionThresholds(ControlRisk: 0.1, PooledControlRisk: true), included)!;

        Assert.Equal("pooled", pooled.ControlRiskSource);
        Assert.Equal(0.3, pooled.ControlRisk!.Value, Tolerance);
        Assert.Equal(0.15, pooled.InterventionRisk!.Value, Tolerance);
        Assert.Equal(-150, pooled.PerThousand, Tolerance);
        Assert.Equal(0, pooled.PerThousandUpper, Tolerance);
        Assert.Equal("assumed", assumed.ControlRiskSource);
        Assert.Equal(0.1, assumed.ControlRisk);
    }

    [Fact]
    public void RiskDifference_Should_BeTheAbsoluteEffectItself()
    {
        // RD -0.1 (-0.2 to 0.05): -100 (-200 to 50) per 1,000; NNTB 10, CI from NNTH 20 through ∞ to NNTB 5.
        var effect = AbsoluteEffects.Of(RD, Difference(-0.1, -0.2, 0.05), DecisionThresholds.None, [])!;

        Assert.Null(effect.ControlRisk);
        Assert.Equal("none", effect.ControlRiskSource);
        Assert.Null(effect.InterventionRisk);
        Assert.Equal(-100, effect.PerThousand, Tolerance);
        Assert.Equal(-200, effect.PerThousandLower, Tolerance);
        Assert.Equal(50, effect.PerThousandUpper, Tolerance);
        Assert.Equal("NNTB 10 (NNTH 20 to ∞ to NNTB 5)", effect.Nnt.Text);
    }

    [Fact]
    public void Nnt_Should_ReachInfinity_AtABoundOrADifferenceOfExactlyZero()
    {
        var bound = AbsoluteEffects.Of(RD, Difference(-0.1, -0.25, 0), DecisionThresholds.None, [])!;
        var none = AbsoluteEffects.Of(RD, Difference(0, -0.1, 0.1), DecisionThresholds.None, [])!;

        Assert.True(bound.Nnt.SpansNull);
        Assert.Equal(new NntBound("none", null), bound.Nnt.Upper);
        Assert.Equal("NNTB 10 (∞ to NNTB 4)", bound.Nnt.Text);
        Assert.Equal("none", none.Nnt.Kind);
        Assert.Null(none.Nnt.Value);
        Assert.Equal("NNT ∞ (NNTH 10 to ∞ to NNTB 10)", none.Nnt.Text);
    }

    [Fact]
    public void RiskRatio_Should_CapTheRiskAtOne()
    {
        // CR 0.6, RR 2 (1.5 to 2.5): 1.2 and 1.5 are no risks; capped at 1 they give +400 per 1,000.
        var effect = AbsoluteEffects.Of(RR, Ratio(2, 1.5, 2.5), new DecisionThresholds(ControlRisk: 0.6), [])!;

        Assert.Equal(1, effect.InterventionRisk);
        Assert.Equal(400, effect.PerThousand, Tolerance);
        Assert.Equal(300, effect.PerThousandLower, Tolerance);
        Assert.Equal(400, effect.PerThousandUpper, Tolerance);
    }

    [Fact]
    public void Of_Should_BeNull_WithoutAControlRiskAnEstimateOrABinaryMeasure()
    {
        Assert.Null(AbsoluteEffects.Of(RR, Ratio(0.6, 0.4, 0.9), DecisionThresholds.None, [Study("a", 10, 40)]));
        Assert.Null(AbsoluteEffects.Of(RR, Ratio(0.6, 0.4, 0.9), new DecisionThresholds(PooledControlRisk: true), []));
        Assert.Null(AbsoluteEffects.Of(RR, NotEstimable, new DecisionThresholds(ControlRisk: 0.2), []));
        Assert.Null(AbsoluteEffects.Of(MeasureCatalogue.Of(Measure.ROM), Ratio(0.6, 0.4, 0.9), new DecisionThresholds(ControlRisk: 0.2), []));
        Assert.Null(AbsoluteEffects.Of(MeasureCatalogue.Of(Measure.MD), Difference(-1, -2, 0), new DecisionThresholds(ControlRisk: 0.2), []));
    }
}
