using Evidence.Statistics.EffectSizes;

namespace Evidence.Statistics.Tests;

/// <summary>The catalogue states each measure and method once, and what it states is what the engine does.</summary>
public class MeasureCatalogueTests
{
    private const double N = 25;

    private static readonly Dictionary<DataType, Dictionary<string, double>> Valid = new()
    {
        [DataType.Binary] = new() { ["ai"] = 4, ["bi"] = 16, ["ci"] = 7, ["di"] = 13 },
        [DataType.Continuous] = new() { ["m1i"] = 5.2, ["sd1i"] = 1.1, ["n1i"] = 20, ["m2i"] = 4.6, ["sd2i"] = 1.3, ["n2i"] = 22 },
        [DataType.PrePost] = new() { ["m_pre"] = 10, ["sd_pre"] = 2, ["m_post"] = 12, ["sd_post"] = 2.5, ["ni"] = 15, ["ri"] = 0.5 },
        [DataType.Proportion] = new() { ["xi"] = 6, ["ni"] = 30 },
        [DataType.Generic] = new() { ["yi"] = 0.3, ["vi"] = 0.04 },
    };

    public static TheoryData<Measure> EveryMeasure()
    {
        var data = new TheoryData<Measure>();
        foreach (var measure in Enum.GetValues<Measure>())
            data.Add(measure);
        return data;
    }

    [Fact]
    public void Catalogue_Should_DefineEveryMeasureAndMethodOnce()
    {
        Assert.Equal(Enum.GetValues<Measure>().Order(), MeasureCatalogue.Measures.Select(m => m.Measure).Order());
        Assert.Equal(Enum.GetValues<Method>().Order(), MeasureCatalogue.Methods.Select(m => m.Method).Order());
        Assert.Equal(MeasureCatalogue.Measures.Select(m => m.Measure), DataType.All.SelectMany(t => t.Measures).Select(m => m.Measure));
    }

    [Theory]
    [MemberData(nameof(EveryMeasure))]
    public void Columns_Should_BeExactlyWhatTheEffectSizeReads(Measure measure)
    {
        var definition = MeasureCatalogue.Of(measure);
        var values = Valid[definition.DataType];
        Assert.Equal(definition.Columns.Order(), values.Keys.Order());

        Assert.True(double.IsFinite(EffectSizeCalculator.Compute(measure, new StudyData("s", values)).Yi));
        foreach (var column in definition.Columns)
        {
            var without = values.Where(v => v.Key != column).ToDictionary();
            var ex = Assert.Throws<EffectSizeException>(() => EffectSizeCalculator.Compute(measure, new StudyData("s", without)));
            Assert.Equal(column, ex.Field);
        }
    }

    [Theory]
    [MemberData(nameof(EveryMeasure))]
    public void BackTransform_Should_InvertTheTransform(Measure measure)
    {
        var scale = MeasureCatalogue.Of(measure).At(N);
        double[] natural = scale.IsRatio ? [0.2, 1, 3.5] : [0.1, 0.5, 0.9];
        foreach (var value in natural)
            Assert.Equal(value, scale.ToNatural(scale.ToAnalysis(value)), 12);
        Assert.Equal(scale.Transformed, MeasureCatalogue.Of(measure).Transform is not null);
    }

    [Fact]
    public void NaturalScale_Should_FollowMetaforsTransforms()
    {
        Assert.Equal(Math.Exp(0.4), MeasureCatalogue.Of(Measure.RR).At(N).ToNatural(0.4));
        Assert.Equal(1 / (1 + Math.Exp(0.7)), MeasureCatalogue.Of(Measure.PLO).At(N).ToNatural(-0.7));
        Assert.Equal(Math.Pow(Math.Sin(0.6), 2), MeasureCatalogue.Of(Measure.PAS).At(N).ToNatural(0.6));
        Assert.Equal(0, MeasureCatalogue.Of(Measure.PAS).At(N).ToNatural(-0.1));
        Assert.Equal(1, MeasureCatalogue.Of(Measure.PAS).At(N).ToNatural(2));
        Assert.Equal(0.42, MeasureCatalogue.Of(Measure.SMD).At(N).ToNatural(0.42));

        // PFT: the transform of x events in n equals the effect size; beyond the transforms of 0 and 1 at n, 0 and 1.
        var pft = MeasureCatalogue.Of(Measure.PFT).At(N);
        Assert.Equal(EffectSizeCalculator.Compute(Measure.PFT, new StudyData("s", new Dictionary<string, double> { ["xi"] = 5, ["ni"] = N })).Yi, pft.ToAnalysis(5 / N), 14);
        Assert.Equal(0, pft.ToNatural(pft.ToAnalysis(0) - 1e-9));
        Assert.Equal(1, pft.ToNatural(pft.ToAnalysis(1) + 1e-9));
        Assert.Equal(0.2, MeasureCatalogue.Of(Measure.PFT).At(40).ToNatural(MeasureCatalogue.Of(Measure.PFT).At(40).ToAnalysis(0.2)), 12);
    }

    [Fact]
    public void Ratios_Should_HaveNoEffectAtOne_AndDifferencesAtZero()
    {
        Assert.Equal([Measure.OR, Measure.RR, Measure.PETO, Measure.ROM], MeasureCatalogue.Measures.Where(m => m.IsRatio).Select(m => m.Measure));
        Assert.All(MeasureCatalogue.Measures.Where(m => m.IsRatio), m => Assert.Equal(1, m.NullValue));
        Assert.All(MeasureCatalogue.Measures.Where(m => m.Transform is null), m => Assert.Equal(0, m.NullValue));
        Assert.Equal([Measure.PLO, Measure.PFT, Measure.PAS], MeasureCatalogue.Measures.Where(m => m.NullValue is null).Select(m => m.Measure));
        Assert.All(MeasureCatalogue.Measures.Where(m => m.NullValue is { }), m => Assert.Equal(0, m.At(N).ToAnalysis(m.NullValue!.Value)));
    }

    [Fact]
    public void CountMethods_Should_PoolOnlyTheirMeasures_AndInverseVarianceMethodsEvery()
    {
        Assert.Equal("OR, RR or RD", MeasureCatalogue.Of(Method.MH).MeasureNames);
        Assert.Equal("OR or PETO", MeasureCatalogue.Of(Method.PETO).MeasureNames);
        Assert.Equal([Method.MH, Method.PETO], MeasureCatalogue.Methods.Where(m => m.PoolsCounts).Select(m => m.Method));
        Assert.Equal([Method.FE, Method.MH, Method.PETO], MeasureCatalogue.Methods.Where(m => !m.RandomEffects).Select(m => m.Method));
        Assert.All(MeasureCatalogue.Methods.Where(m => !m.PoolsCounts), m => Assert.Equal(MeasureCatalogue.Measures.Count, m.Measures.Count));
        Assert.All(MeasureCatalogue.Methods.Where(m => m.PoolsCounts).SelectMany(m => m.Measures), m => Assert.Equal(DataType.Binary, m.DataType));
        Assert.Equal(Method.PETO, MeasureCatalogue.Of(Measure.PETO).OwnMethod);
        Assert.Single(MeasureCatalogue.Measures, m => m.OwnMethod is not null);
    }

    [Fact]
    public void Names_Should_BeFoundExactly()
    {
        Assert.Equal(Measure.ROM, MeasureCatalogue.FindMeasure("ROM")!.Measure);
        Assert.Null(MeasureCatalogue.FindMeasure("rom"));
        Assert.Null(MeasureCatalogue.FindMeasure("1"));
        Assert.Equal(Method.MH, MeasureCatalogue.ParseMethod("MH").Method);
        Assert.Throws<ArgumentException>(() => MeasureCatalogue.ParseMeasure("XX"));
        Assert.Equal(Test.Knha, MeasureCatalogue.FindTest("knha"));
        Assert.Null(MeasureCatalogue.FindTest("t"));
        Assert.Equal("z", MeasureCatalogue.Name(Test.Z));
        Assert.Same(DataType.PrePost, DataType.Find("prepost"));
        Assert.Equal(["MC", "SMCR", "SMCC"], DataType.PrePost.Measures.Select(m => m.Name));
    }
}
