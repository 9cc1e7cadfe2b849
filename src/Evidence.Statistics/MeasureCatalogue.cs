namespace Evidence.Statistics;

/// <summary>
/// The analysis vocabulary in one place: every effect measure (<see cref="MeasureDefinition"/>), every
/// pooling method (<see cref="MethodDefinition"/>) and the names of the tests. Validation, the data
/// types, the plots and the command line ask it; names stay strings in settings and events and are
/// looked up here. A new measure is an entry here and its effect size in
/// <see cref="EffectSizes.EffectSizeCalculator"/>.
/// </summary>
public static class MeasureCatalogue
{
    private static readonly Method[] InverseVariance = [Method.FE, Method.DL, Method.REML, Method.PM, Method.ML, Method.HE, Method.SJ, Method.EB];

    /// <summary>Common effect, the tau² estimators, and the two count methods.</summary>
    public static readonly IReadOnlyList<MethodDefinition> Methods =
    [
        new(Method.FE, RandomEffects: false, PoolsCounts: false),
        new(Method.DL, RandomEffects: true, PoolsCounts: false),
        new(Method.REML, RandomEffects: true, PoolsCounts: false),
        new(Method.PM, RandomEffects: true, PoolsCounts: false),
        new(Method.ML, RandomEffects: true, PoolsCounts: false),
        new(Method.HE, RandomEffects: true, PoolsCounts: false),
        new(Method.SJ, RandomEffects: true, PoolsCounts: false),
        new(Method.EB, RandomEffects: true, PoolsCounts: false),
        new(Method.MH, RandomEffects: false, PoolsCounts: true),
        new(Method.PETO, RandomEffects: false, PoolsCounts: true, Pools: "the odds ratio"),
    ];

    /// <summary>Every measure, grouped by data type, in the order they are listed to users.</summary>
    public static readonly IReadOnlyList<MeasureDefinition> Measures =
    [
        new(Measure.OR, DataType.Binary, "Odds ratio (log scale)", ScaleTransform.Log, [.. InverseVariance, Method.MH, Method.PETO]),
        new(Measure.RR, DataType.Binary, "Risk ratio (log scale)", ScaleTransform.Log, [.. InverseVariance, Method.MH]),
        new(Measure.RD, DataType.Binary, "Risk difference", null, [.. InverseVariance, Method.MH]),
        new(Measure.PETO, DataType.Binary, "Odds ratio (Peto) (log scale)", ScaleTransform.Log, [.. InverseVariance, Method.PETO], OwnMethod: Method.PETO),
        new(Measure.MD, DataType.Continuous, "Mean difference", null, InverseVariance),
        new(Measure.SMD, DataType.Continuous, "Standardised mean difference (Hedges' g)", null, InverseVariance),
        new(Measure.ROM, DataType.Continuous, "Ratio of means (log scale)", ScaleTransform.Log, InverseVariance),
        new(Measure.MC, DataType.PrePost, "Mean change (after - before)", null, InverseVariance),
        new(Measure.SMCR, DataType.PrePost, "Standardised mean change (raw-score)", null, InverseVariance),
        new(Measure.SMCC, DataType.PrePost, "Standardised mean change (change-score)", null, InverseVariance),
        new(Measure.PR, DataType.Proportion, "Proportion", null, InverseVariance),
        new(Measure.PLO, DataType.Proportion, "Proportion (logit scale)", ScaleTransform.Logit, InverseVariance),
        new(Measure.PFT, DataType.Proportion, "Proportion (Freeman-Tukey scale)", ScaleTransform.FreemanTukey, InverseVariance),
        new(Measure.PAS, DataType.Proportion, "Proportion (arcsine scale)", ScaleTransform.ArcsineSquareRoot, InverseVariance),
        new(Measure.GEN, DataType.Generic, "Effect", null, InverseVariance),
    ];

    /// <summary>The tests, with the names settings and the command line use.</summary>
    public static readonly IReadOnlyList<(Test Test, string Name)> Tests = [(Test.Z, "z"), (Test.Knha, "knha")];

    /// <summary>The convention presets, with the names settings and the command line use (<c>metafor</c>, the default; <c>revman5</c>).</summary>
    public static readonly IReadOnlyList<(Conventions Conventions, string Name)> ConventionNames = [(Conventions.Metafor, "metafor"), (Conventions.RevMan5, "revman5")];

    /// <summary>The methods RevMan 5 has: FE (inverse variance, fixed), DL (random effects), MH and PETO.</summary>
    public static readonly IReadOnlyList<Method> RevMan5Methods = [Method.FE, Method.DL, Method.MH, Method.PETO];

    /// <summary>The preset named <paramref name="name"/> (<c>metafor</c> or <c>revman5</c>), or null.</summary>
    public static Conventions? FindConventions(string? name) => ConventionNames.FirstOrDefault(c => c.Name == name) is { Name: not null } c ? c.Conventions : null;

    /// <summary>The name of <paramref name="conventions"/> in settings.</summary>
    public static string Name(Conventions conventions) => ConventionNames.First(c => c.Conventions == conventions).Name;

    /// <summary>The definition of <paramref name="measure"/>.</summary>
    public static MeasureDefinition Of(Measure measure) => Measures.First(m => m.Measure == measure);

    /// <summary>The definition of <paramref name="method"/>.</summary>
    public static MethodDefinition Of(Method method) => Methods.First(m => m.Method == method);

    /// <summary>The measure named <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public static MeasureDefinition? FindMeasure(string? name) => Measures.FirstOrDefault(m => m.Name == name);

    /// <summary>The method named <paramref name="name"/> (exact, case-sensitive), or null.</summary>
    public static MethodDefinition? FindMethod(string? name) => Methods.FirstOrDefault(m => m.Name == name);

    /// <summary>The test named <paramref name="name"/> (<c>z</c> or <c>knha</c>), or null.</summary>
    public static Test? FindTest(string? name) => Tests.FirstOrDefault(t => t.Name == name) is { Name: not null } t ? t.Test : null;

    /// <summary>The measure named <paramref name="name"/>; <see cref="ArgumentException"/> when there is none.</summary>
    public static MeasureDefinition ParseMeasure(string name) =>
        FindMeasure(name) ?? throw new ArgumentException($"'{name}' is not a measure; use one of {string.Join(", ", Measures)}.", nameof(name));

    /// <summary>The method named <paramref name="name"/>; <see cref="ArgumentException"/> when there is none.</summary>
    public static MethodDefinition ParseMethod(string name) =>
        FindMethod(name) ?? throw new ArgumentException($"'{name}' is not a method; use one of {string.Join(", ", Methods)}.", nameof(name));

    /// <summary>The name of <paramref name="test"/> in settings (<c>z</c>, <c>knha</c>).</summary>
    public static string Name(Test test) => Tests.First(t => t.Test == test).Name;

    /// <summary>Names as a phrase: <c>A</c>, <c>A or B</c>, <c>A, B or C</c>.</summary>
    public static string Either(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Concat(list) : $"{string.Join(", ", list.Take(list.Count - 1))} or {list[^1]}";
    }
}
