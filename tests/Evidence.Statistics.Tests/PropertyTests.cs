using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests;

/// <summary>Properties every analysis must have, on generated data with fixed seeds.</summary>
public class PropertyTests
{
    private static List<StudyData> Continuous(int k, int seed, double scale = 1)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, k).Select(i => new StudyData($"s{i}", new Dictionary<string, double>
        {
            ["m1i"] = scale * (10 + random.NextDouble() * 4),
            ["sd1i"] = scale * (2 + random.NextDouble()),
            ["n1i"] = 20 + random.Next(80),
            ["m2i"] = scale * (9 + random.NextDouble() * 4),
            ["sd2i"] = scale * (2 + random.NextDouble()),
            ["n2i"] = 20 + random.Next(80),
        }, new Dictionary<string, string> { ["group"] = i % 3 == 0 ? "a" : "b", ["year"] = (2000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture) })).ToList();
    }

    private static List<StudyData> Generic(IEnumerable<(double Y, double V)> effects) =>
        effects.Select((e, i) => new StudyData($"s{i}", new Dictionary<string, double> { ["yi"] = e.Y, ["vi"] = e.V })).ToList();

    [Theory]
    [InlineData(Method.REML, 1)]
    [InlineData(Method.DL, 2)]
    [InlineData(Method.PM, 3)]
    [InlineData(Method.ML, 4)]
    public void PooledEstimate_Should_NotDependOnStudyOrder(Method method, int seed)
    {
        var studies = Continuous(25, seed);
        var shuffled = studies.OrderBy(_ => new Random(seed).Next()).Reverse().ToList();

        var a = MetaAnalysis.Run(studies, new AnalysisSettings(Measure.SMD, method)).Overall!;
        var b = MetaAnalysis.Run(shuffled, new AnalysisSettings(Measure.SMD, method)).Overall!;

        Assert.Equal(a.Estimate, b.Estimate, 1e-10);
        Assert.Equal(a.Tau2!.Value, b.Tau2!.Value, 1e-10);
        Assert.Equal(a.Q, b.Q, 1e-9);
    }

    [Theory]
    [InlineData(Method.DL)]
    [InlineData(Method.REML)]
    [InlineData(Method.PM)]
    public void RandomEffects_Should_EqualCommonEffect_When_Tau2IsZero(Method method)
    {
        var identical = Generic(Enumerable.Range(0, 8).Select(i => (0.4, 0.01 * (i + 1))));

        var random = MetaAnalysis.Run(identical, new AnalysisSettings(Measure.GEN, method)).Overall!;
        var common = MetaAnalysis.Run(identical, new AnalysisSettings(Measure.GEN, Method.FE)).Overall!;

        Assert.Equal(0, random.Tau2);
        Assert.Equal(common.Estimate, random.Estimate, 1e-12);
        Assert.Equal(common.Se, random.Se, 1e-12);
        Assert.Equal(0.4, random.Estimate, 1e-12);
    }

    [Fact]
    public void MeanDifference_Should_ScaleWithTheData()
    {
        const double c = 7.5;
        var a = MetaAnalysis.Run(Continuous(12, 9), new AnalysisSettings(Measure.MD, Method.REML)).Overall!;
        var b = MetaAnalysis.Run(Continuous(12, 9, c), new AnalysisSettings(Measure.MD, Method.REML)).Overall!;
        var smdA = MetaAnalysis.Run(Continuous(12, 9), new AnalysisSettings(Measure.SMD, Method.REML)).Overall!;
        var smdB = MetaAnalysis.Run(Continuous(12, 9, c), new AnalysisSettings(Measure.SMD, Method.REML)).Overall!;

        // REML stops when tau² moves by at most 1e-5 in absolute terms, so rescaled data stop at a
        // slightly different relative point: everything scales up to that convergence precision.
        Assert.Equal(1, b.Estimate / (c * a.Estimate), 1e-8);
        Assert.Equal(1, b.CiLower / (c * a.CiLower), 1e-8);
        Assert.Equal(1, b.Tau2!.Value / (c * c * a.Tau2!.Value), 1e-6);
        Assert.Equal(smdA.Estimate, smdB.Estimate, 1e-12);
    }

    [Fact]
    public void WithoutSensitivity_Should_LeaveOutCumulativeAndLeaveOneOut_AndChangeNothingElse()
    {
        var studies = Continuous(20, 5);
        var settings = new AnalysisSettings(Measure.SMD, Method.REML, Test.Knha, Subgroup: "group");

        var full = MetaAnalysis.Run(studies, settings);
        var headline = MetaAnalysis.Run(studies, settings with { Sensitivity = false });

        Assert.Null(headline.Cumulative);
        Assert.Null(headline.LeaveOneOut);
        Assert.NotNull(full.Cumulative);
        Assert.NotNull(full.LeaveOneOut);
        var expected = AnalysisJson.ToJson(full with { Cumulative = null, LeaveOneOut = null, Settings = headline.Settings }).ToJsonString();
        Assert.Equal(expected, AnalysisJson.ToJson(headline).ToJsonString());
    }

    [Fact]
    public void EqualStandardErrors_Should_LeaveOutEggersTest_WithAWarning_AndNotFail()
    {
        var result = MetaAnalysis.Run(Generic([(0.1, 0.04), (0.3, 0.04), (0.2, 0.04), (0.5, 0.04)]), new AnalysisSettings(Measure.GEN, Method.REML));

        Assert.Null(result.Egger);
        Assert.Contains(result.Warnings, w => w.Contains("Egger", StringComparison.Ordinal));
        Assert.Equal(0.275, result.Overall!.Estimate, 12);
    }

    [Fact]
    public void SubgroupFits_Should_EqualSeparateFits()
    {
        var studies = Continuous(20, 11);
        var settings = new AnalysisSettings(Measure.SMD, Method.REML, Test.Knha, Subgroup: "group");

        var groups = MetaAnalysis.Run(studies, settings).Subgroups!.Groups;

        foreach (var group in groups)
        {
            var alone = MetaAnalysis.Run(studies.Where(s => s.Labels["group"] == group.Level).ToList(), settings with { Subgroup = null }).Overall!;
            Assert.Equal(alone.Estimate, group.Fit.Estimate, 1e-12);
            Assert.Equal(alone.Tau2!.Value, group.Fit.Tau2!.Value, 1e-12);
            Assert.Equal(alone.CiUpper, group.Fit.CiUpper, 1e-12);
        }
    }

    [Fact]
    public void SingleStudy_Should_BeACommonEffectFit_WithNoPredictionInterval()
    {
        var result = MetaAnalysis.Run(Generic([(0.3, 0.04)]), new AnalysisSettings(Measure.GEN, Method.REML, Test.Knha));

        var o = result.Overall!;
        Assert.Equal(0.3, o.Estimate, 12);
        Assert.Equal(0.2, o.Se, 12);
        Assert.Equal(0, o.Tau2);
        Assert.Null(o.Df);
        Assert.Null(o.PiLower);
        Assert.Null(o.Tau2CiLower);
        Assert.Null(result.Egger);
        Assert.Single(result.Cumulative!);
    }

    [Fact]
    public void LargeK_Should_FitWithoutQuadraticMemory()
    {
        var random = new Random(5);
        var effects = Enumerable.Range(0, 20_000).Select(_ => (0.2 + 0.3 * (random.NextDouble() - 0.5), 0.01 + 0.05 * random.NextDouble())).ToArray();
        var y = effects.Select(e => e.Item1).ToArray();
        var v = effects.Select(e => e.Item2).ToArray();

        var (pooled, _) = MetaAnalysis.Pool(y, v, new double[y.Length], new AnalysisSettings(Measure.GEN, Method.REML), withIntervals: true);

        Assert.Equal(20_000, pooled.K);
        Assert.True(double.IsFinite(pooled.Estimate) && double.IsFinite(pooled.Tau2!.Value) && double.IsFinite(pooled.Tau2CiUpper!.Value));
        Assert.InRange(pooled.Estimate, 0.15, 0.25);
    }

    [Fact]
    public void Reml_Should_FallBackToDerSimonianLaird_AndSaySo_When_ItDoesNotConverge()
    {
        var studies = Continuous(15, 21);
        var settings = new AnalysisSettings(Measure.SMD, Method.REML) { MaxIterations = 1 };

        var result = MetaAnalysis.Run(studies, settings);
        var dl = MetaAnalysis.Run(studies, new AnalysisSettings(Measure.SMD, Method.DL)).Overall!;

        Assert.False(result.Overall!.Converged);
        Assert.Equal(Method.DL, result.Overall.Method);
        Assert.Equal(dl.Tau2!.Value, result.Overall.Tau2!.Value, 12);
        Assert.Contains(result.Warnings, w => w.Contains("did not converge", StringComparison.Ordinal));
        Assert.Contains("\"method_used\": \"DL\"", AnalysisJson.Serialize(result), StringComparison.Ordinal);
    }

    public static TheoryData<Measure, string, double, string> InvalidInputs => new()
    {
        { Measure.MD, "sd1i", -1, "sd1i" },
        { Measure.MD, "sd2i", 0, "sd2i" },
        { Measure.SMD, "n1i", 0.5, "n1i" },
        { Measure.MD, "m1i", double.NaN, "m1i" },
        { Measure.OR, "ai", -2, "ai" },
        { Measure.PLO, "xi", 50, "xi" },
        { Measure.SMCR, "ri", 1.5, "ri" },
        { Measure.GEN, "vi", 0, "vi" },
        { Measure.ROM, "m2i", -3, "m2i" },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void InvalidInput_Should_NameTheStudyAndTheField(Measure measure, string field, double value, string expectedField)
    {
        var values = new Dictionary<string, double>
        {
            ["m1i"] = 10, ["sd1i"] = 2, ["n1i"] = 20, ["m2i"] = 9, ["sd2i"] = 2, ["n2i"] = 20,
            ["ai"] = 3, ["bi"] = 10, ["ci"] = 4, ["di"] = 9, ["xi"] = 5, ["ni"] = 40,
            ["m_pre"] = 1, ["sd_pre"] = 1, ["m_post"] = 2, ["sd_post"] = 1, ["ri"] = 0.5, ["yi"] = 0.1, ["vi"] = 0.1,
        };
        values[field] = value;

        var ex = Assert.Throws<EffectSizeException>(() => MetaAnalysis.Run([new StudyData("Trial-7", values)], new AnalysisSettings(measure, Method.DL)));

        Assert.Equal("Trial-7", ex.Study);
        Assert.Equal(expectedField, ex.Field);
    }

    [Fact]
    public void MissingColumn_Should_NameTheField()
    {
        var ex = Assert.Throws<EffectSizeException>(() =>
            MetaAnalysis.Run([new StudyData("A", new Dictionary<string, double> { ["xi"] = 3 })], new AnalysisSettings(Measure.PLO, Method.DL)));

        Assert.Equal("ni", ex.Field);
    }

    [Fact]
    public void NoStudies_Should_GiveNoEstimate()
    {
        var result = MetaAnalysis.Run([], new AnalysisSettings(Measure.GEN, Method.REML));

        Assert.Null(result.Overall);
        Assert.Contains("\"k\": 0", AnalysisJson.Serialize(result), StringComparison.Ordinal);
    }
}
