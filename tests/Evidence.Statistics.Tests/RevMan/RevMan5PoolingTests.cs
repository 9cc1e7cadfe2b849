using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests.RevMan;

/// <summary>
/// The revman5 conventions against numbers RevMan 5 stored (Fleiss 1993, as shipped with the R
/// package meta) and hand-built random-effects cases recomputed in R from metafor's building blocks
/// (<c>RevMan/revman5-cases.R</c>).
/// </summary>
public sealed class RevMan5PoolingTests
{
    private static StudyData Table(string study, double events1, double total1, double events2, double total2) =>
        new(study, new Dictionary<string, double> { ["ai"] = events1, ["bi"] = total1 - events1, ["ci"] = events2, ["di"] = total2 - events2 });

    private static StudyData Means(string study, double m1, double sd1, double n1, double m2, double sd2, double n2) =>
        new(study, new Dictionary<string, double> { ["m1i"] = m1, ["sd1i"] = sd1, ["n1i"] = n1, ["m2i"] = m2, ["sd2i"] = sd2, ["n2i"] = n2 });

    private static AnalysisSettings RevMan5(Measure measure, Method method) => new(measure, method) { Conventions = Conventions.RevMan5 };

    /// <summary>Fleiss (1993), aspirin after myocardial infarction: outcome 1.1 of Fleiss1993.rm5.</summary>
    private static readonly StudyData[] Aspirin =
    [
        Table("MRC-1", 49, 615, 67, 624), Table("CDP", 44, 758, 64, 771), Table("MRC-2", 102, 832, 126, 850),
        Table("GASP", 32, 317, 38, 309), Table("PARIS", 85, 810, 52, 406), Table("AMIS", 246, 2267, 219, 2257),
        Table("ISIS-2", 1570, 8587, 1720, 8600),
    ];

    /// <summary>Fleiss (1993), mental health treatment: outcome 1.2 of Fleiss1993_CR.csv (MD).</summary>
    private static readonly StudyData[] MentalHealth =
    [
        Means("Davis", 5, 4.7, 13, 6.5, 3.8, 13), Means("Florell", 4.9, 1.71, 30, 6.1, 2.3, 50), Means("Gruen", 22.5, 3.44, 35, 24.9, 10.65, 35),
        Means("Hart", 12.5, 1.47, 20, 12.3, 1.66, 20), Means("Wilson", 6.5, 0.76, 8, 7.38, 1.41, 8),
    ];

    [Fact]
    public void MantelHaenszelOddsRatio_Should_ReproduceRevMan5sStoredResult_ForFleiss1993Outcome1_1()
    {
        var o = MetaAnalysis.Run(Aspirin, RevMan5(Measure.OR, Method.MH)).Overall!;

        Assert.Equal(7, o.K);
        Close(0.8968655609130709, o.Natural!.Estimate, 1e-12);
        Close(0.8405144008917793, o.Natural.CiLower, 1e-12);
        Close(0.9569947088336491, o.Natural.CiUpper, 1e-12);
        Close(9.946055983220074, o.Q, 1e-10);
        Assert.Equal(6, o.QDf);
        // RevMan 5's chi-square tail is an approximation good to about 1e-6 (its p of one Q differs
        // between two outcomes of the same data in the antibiotics review); the exact tail is kept.
        Close(0.1269422521561745, o.QP, 1e-6);
        Close(39.67458045558399, o.I2, 1e-10);
        Close(3.287633061337987, Math.Abs(o.Statistic), 1e-10);
        Close(0.0010103343130005407, o.P!.Value, 1e-10);
    }

    [Fact]
    public void MeanDifference_Should_ReproduceRevMan5sCsvExport_ForFleiss1993Outcome1_2()
    {
        var o = MetaAnalysis.Run(MentalHealth, RevMan5(Measure.MD, Method.FE)).Overall!;

        Close(-0.70938839, o.Estimate, 5e-9);
        Close(-1.25848502, o.CiLower, 5e-9);
        Close(-0.16029176, o.CiUpper, 5e-9);
        Close(5.66012379, o.Q, 5e-9);
        Assert.Equal(4, o.QDf);
        Close(0.22600895, o.QP, 1e-6);
        Close(29.33016758, o.I2, 5e-9);
        Close(2.53211477, Math.Abs(o.Statistic), 5e-9);
        Close(0.01133769, o.P!.Value, 5e-9);
    }

    [Fact]
    public void StandardisedMeanDifference_Should_UseRevMansHedgesG()
    {
        var o = MetaAnalysis.Run(MentalHealth, RevMan5(Measure.SMD, Method.FE)).Overall!;

        Close(-0.3434158, o.Estimate, 5e-8);
        Close(-0.6068056, o.CiLower, 5e-8);
        Close(-0.0800260, o.CiUpper, 5e-8);
        Close(3.677, o.Q, 5e-4);
    }

    /// <summary>Hand-built: a double-zero study (dropped) and a single-zero study (1/2 added to each cell); heterogeneous.</summary>
    private static readonly StudyData[] Heterogeneous =
    [
        Table("a", 2, 100, 20, 98), Table("b", 0, 50, 4, 52), Table("c", 25, 60, 10, 61),
        Table("d", 0, 40, 0, 45), Table("e", 40, 200, 38, 210), Table("f", 3, 80, 15, 75),
    ];

    [Fact]
    public void RandomEffectsMantelHaenszelRiskRatio_Should_DropDoubleZeroStudies_AndPoolWithInverseVarianceAndDlTau2()
    {
        var result = MetaAnalysis.Run(Heterogeneous, RevMan5(Measure.RR, Method.DL));
        var o = result.Overall!;

        Assert.Equal(5, o.K);
        Assert.Equal(4, o.QDf);
        Close(30.1684696703519, o.Q, 1e-12);
        Close(86.7411239492502, o.I2, 1e-12);
        Close(1.25767415976972, o.Tau2!.Value, 1e-12);
        Close(-0.739203296140761, o.Estimate, 1e-12);
        Close(0.580715763286027, o.Se, 1e-12);
        Close(-1.87738527743606, o.CiLower, 1e-12);
        Close(0.398978685154539, o.CiUpper, 1e-12);
        Close(-1.27291756634592, o.Statistic, 1e-12);
        Close(0.203047295099162, o.P!.Value, 1e-12);
        Assert.Null(o.PiLower);
        var dropped = result.Studies.Single(s => s.Study == "d");
        Assert.Equal(0, dropped.Weight);
        Assert.True(double.IsNaN(dropped.Yi));
        Close(100, result.Studies.Sum(s => s.Weight), 1e-12);
    }

    private static readonly StudyData[] Homogeneous =
    [
        Table("a", 12, 100, 20, 98), Table("b", 0, 50, 3, 52), Table("c", 5, 60, 9, 61),
        Table("d", 0, 40, 0, 45), Table("e", 30, 200, 41, 210), Table("f", 7, 80, 6, 75),
    ];

    [Theory]
    [InlineData(Measure.RR, -0.360165484186321, 0.16264745891167, 2.39124325025199, -0.342956858705796, 0.163833519308996, 0.0363201214462401)]
    [InlineData(Measure.OR, -0.423335079598281, 0.190441351810797, 2.40060275613586, -0.407146146610241, 0.192476798908618, 0.0344043980371919)]
    public void RandomEffectsMantelHaenszel_Should_MatchR_WhenTau2IsZero(Measure measure, double mh, double mhSe, double q, double estimate, double se, double p)
    {
        var fixedEffect = MetaAnalysis.Run(Homogeneous, RevMan5(measure, Method.MH)).Overall!;
        var random = MetaAnalysis.Run(Homogeneous, RevMan5(measure, Method.DL)).Overall!;

        Close(mh, fixedEffect.Estimate, 1e-12);
        Close(mhSe, fixedEffect.Se, 1e-12);
        Close(q, fixedEffect.Q, 1e-12);
        Assert.Equal(0, fixedEffect.I2);
        Close(q, random.Q, 1e-12);
        Assert.Equal(0, random.Tau2);
        // With tau² = 0 RevMan's random-effects estimate is the inverse-variance one, not MH's.
        Close(estimate, random.Estimate, 1e-12);
        Close(se, random.Se, 1e-12);
        Close(p, random.P!.Value, 1e-12);
    }

    [Fact]
    public void RandomEffectsRiskRatio_Should_DropStudiesWithOnlyEventsInBothGroups()
    {
        StudyData[] studies = [Table("all", 10, 10, 12, 12), Table("b", 5, 50, 6, 50), Table("c", 8, 48, 9, 50), Table("d", 20, 200, 22, 200)];

        var o = MetaAnalysis.Run(studies, RevMan5(Measure.RR, Method.DL)).Overall!;

        Assert.Equal(3, o.K);
        Close(-0.104498605858731, MetaAnalysis.Run(studies, RevMan5(Measure.RR, Method.MH)).Overall!.Estimate, 1e-12);
        Close(0.0234112891641197, o.Q, 1e-10);
        Close(-0.103980205313037, o.Estimate, 1e-12);
        Close(0.224256611513373, o.Se, 1e-12);
    }

    [Fact]
    public void Subgroups_Should_BeTestedWithTheInverseVarianceQBetweenTheirEstimates()
    {
        var labelled = Heterogeneous.Select((s, i) => s with { Labels = new Dictionary<string, string> { ["blinded"] = i < 3 ? "yes" : "no" } }).ToList();
        var settings = RevMan5(Measure.RR, Method.DL) with { Subgroup = "blinded" };

        var subgroups = MetaAnalysis.Run(labelled, settings).Subgroups!;

        var fits = subgroups.Groups.Select(g => g.Fit).ToList();
        var w = fits.Select(f => 1 / (f.Se * f.Se)).ToArray();
        var mean = fits.Select((f, i) => w[i] * f.Estimate).Sum() / w.Sum();
        Close(fits.Select((f, i) => w[i] * (f.Estimate - mean) * (f.Estimate - mean)).Sum(), subgroups.QBetween, 1e-12);
        Assert.Equal(1, subgroups.QBetweenDf);
        Assert.Equal(2, fits.Single(f => f.K == 2).K);
    }

    [Fact]
    public void Peto_Should_PoolTheRawCounts_AsMetaforDoes_LeavingDoubleZeroStudiesOutOfK()
    {
        var revman = MetaAnalysis.Run(Homogeneous, RevMan5(Measure.PETO, Method.PETO));
        var metafor = MetaAnalysis.Run(Homogeneous, new AnalysisSettings(Measure.PETO, Method.PETO)).Overall!;

        Assert.Equal(5, revman.Overall!.K);
        Close(metafor.Estimate, revman.Overall.Estimate, 1e-12);
        Close(metafor.Se, revman.Overall.Se, 1e-12);
        Close(metafor.Q, revman.Overall.Q, 1e-12);
        Close(100, revman.Studies.Sum(s => s.Weight), 1e-12);
        // A study's Peto weight is its hypergeometric variance V of the raw counts: study b (0 of 50 vs 3 of 52).
        var v = 3.0 * 99 * (50.0 / 102) * (52.0 / 102) / 101;
        Close(1 / v, revman.Studies.Single(s => s.Study == "b").Vi, 1e-12);
    }

    [Fact]
    public void EveryDoubleZeroStudy_Should_GiveNoEstimate()
    {
        var result = MetaAnalysis.Run([Table("a", 0, 10, 0, 12), Table("b", 0, 20, 0, 18)], RevMan5(Measure.RR, Method.DL));

        Assert.False(result.Estimable);
        Assert.Equal(["a", "b"], result.NotEstimable!.Studies);
    }

    [Fact]
    public void Conventions_Should_BeMetaforUnlessChosen()
    {
        Assert.Equal(Conventions.Metafor, new AnalysisSettings(Measure.OR, Method.MH).Conventions);
        var metafor = MetaAnalysis.Run(Homogeneous, new AnalysisSettings(Measure.RR, Method.MH)).Overall!;
        // metafor's MH pools the raw counts and keeps the double-zero study in k.
        Assert.Equal(6, metafor.K);
        Assert.NotEqual(MetaAnalysis.Run(Homogeneous, RevMan5(Measure.RR, Method.MH)).Overall!.Estimate, metafor.Estimate);
    }

    [Theory]
    [InlineData(Method.REML, "FE, DL, MH or PETO")]
    [InlineData(Method.PM, "FE, DL, MH or PETO")]
    public void RevMan5_Should_RefuseMethodsRevMan5DoesNotHave(Method method, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => MetaAnalysis.Run(Homogeneous, RevMan5(Measure.RR, method)));
        Assert.Contains(expected, error.Message);
    }

    private static void Close(double expected, double actual, double tolerance) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");
}
