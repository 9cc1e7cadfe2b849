using System.Text.Json;
using Evidence.Domain.Bundles;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>
/// Bundles of outcomes pooled with RevMan 5's conventions (the <c>revman5</c> preset), built without a
/// store: Fleiss (1993) as RevMan 5 stored it, and hand-built 2x2 data with double-zero, only-events
/// and single-zero studies (MH and inverse-variance RR, OR and RD, fixed and random effects, Peto,
/// subgroups), MD and SMD. R's metafor, running the bundle's analysis.R, reproduces every field of the
/// engine's result within the reference cases' tolerance.
/// </summary>
public sealed class RevMan5BundleTests
{
    private const double Relative = 1e-6;
    private const double Absolute = 1e-9;

    private static StudyData Table(string study, double events1, double total1, double events2, double total2, string? level = null) =>
        new(study, new Dictionary<string, double> { ["ai"] = events1, ["bi"] = total1 - events1, ["ci"] = events2, ["di"] = total2 - events2 },
            level is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["blinded"] = level });

    private static StudyData Means(string study, double m1, double sd1, double n1, double m2, double sd2, double n2) =>
        new(study, new Dictionary<string, double> { ["m1i"] = m1, ["sd1i"] = sd1, ["n1i"] = n1, ["m2i"] = m2, ["sd2i"] = sd2, ["n2i"] = n2 });

    /// <summary>Fleiss (1993), aspirin after myocardial infarction: outcome 1.1 of Fleiss1993.rm5.</summary>
    private static readonly StudyData[] Aspirin =
    [
        Table("MRC-1", 49, 615, 67, 624), Table("CDP", 44, 758, 64, 771), Table("MRC-2", 102, 832, 126, 850),
        Table("GASP", 32, 317, 38, 309), Table("PARIS", 85, 810, 52, 406), Table("AMIS", 246, 2267, 219, 2257),
        Table("ISIS-2", 1570, 8587, 1720, 8600),
    ];

    /// <summary>Fleiss (1993), mental health treatment: outcome 1.2 of Fleiss1993.rm5.</summary>
    private static readonly StudyData[] MentalHealth =
    [
        Means("Davis", 5, 4.7, 13, 6.5, 3.8, 13), Means("Florell", 4.9, 1.71, 30, 6.1, 2.3, 50), Means("Gruen", 22.5, 3.44, 35, 24.9, 10.65, 35),
        Means("Hart", 12.5, 1.47, 20, 12.3, 1.66, 20), Means("Wilson", 6.5, 0.76, 8, 7.38, 1.41, 8),
    ];

    /// <summary>Heterogeneous, with a double-zero study (d) and single-zero studies (b, g), in two subgroups; h has only events in both groups.</summary>
    private static readonly StudyData[] Zeros =
    [
        Table("a", 2, 100, 20, 98, "yes"), Table("b", 0, 50, 4, 52, "yes"), Table("c", 25, 60, 10, 61, "yes"),
        Table("d", 0, 40, 0, 45, "no"), Table("e", 40, 200, 38, 210, "no"), Table("f", 3, 80, 15, 75, "no"),
        Table("g", 6, 30, 0, 28, "no"), Table("h", 12, 12, 10, 10, "yes"),
    ];

    /// <summary>Homogeneous (tau² = 0), with a double-zero and a single-zero study.</summary>
    private static readonly StudyData[] Homogeneous =
    [
        Table("a", 12, 100, 20, 98), Table("b", 0, 50, 3, 52), Table("c", 5, 60, 9, 61),
        Table("d", 0, 40, 0, 45), Table("e", 30, 200, 41, 210), Table("f", 7, 80, 6, 75),
    ];

    /// <summary>A subgroup whose every study is double-zero: no estimate for it, none in the test between subgroups.</summary>
    private static readonly StudyData[] EmptySubgroup =
    [
        Table("a", 12, 100, 20, 98, "yes"), Table("b", 0, 50, 3, 52, "yes"), Table("c", 5, 60, 9, 61, "yes"),
        Table("d", 0, 40, 0, 45, "no"), Table("e", 0, 20, 0, 21, "no"), Table("f", 7, 80, 6, 75, "unclear"),
    ];

    public static TheoryData<string> Cases() => new(Catalogue.Keys);

    private static readonly Dictionary<string, (StudyData[] Data, Measure Measure, Method Method, string? Subgroup)> Catalogue = new()
    {
        ["Fleiss 1.1: MH OR, fixed"] = (Aspirin, Measure.OR, Method.MH, null),
        ["Fleiss 1.1: MH OR, random"] = (Aspirin, Measure.OR, Method.DL, null),
        ["Fleiss 1.1: Peto"] = (Aspirin, Measure.PETO, Method.PETO, null),
        ["Fleiss 1.2: MD, fixed"] = (MentalHealth, Measure.MD, Method.FE, null),
        ["Fleiss 1.2: SMD, fixed"] = (MentalHealth, Measure.SMD, Method.FE, null),
        ["Fleiss 1.2: SMD, random"] = (MentalHealth, Measure.SMD, Method.DL, null),
        ["zeros: MH RR, random, subgroups"] = (Zeros, Measure.RR, Method.DL, "blinded"),
        ["zeros: MH OR, random, subgroups"] = (Zeros, Measure.OR, Method.DL, "blinded"),
        ["zeros: MH RD, random"] = (Zeros, Measure.RD, Method.DL, null),
        ["zeros: MH RR, fixed, subgroups"] = (Zeros, Measure.RR, Method.MH, "blinded"),
        ["zeros: MH OR, fixed"] = (Zeros, Measure.OR, Method.MH, null),
        ["zeros: MH RD, fixed"] = (Zeros, Measure.RD, Method.MH, null),
        ["zeros: IV OR, fixed"] = (Zeros, Measure.OR, Method.FE, null),
        ["zeros: Peto, subgroups"] = (Zeros, Measure.PETO, Method.PETO, "blinded"),
        ["zeros: Peto effects, random"] = (Zeros, Measure.PETO, Method.DL, "blinded"),
        ["zeros: Peto effects, inverse variance"] = (Zeros, Measure.PETO, Method.FE, null),
        ["Fleiss 1.2: MD, random, subgroups"] = (MentalHealth.Select((s, i) => s with { Labels = new Dictionary<string, string> { ["blinded"] = i % 2 == 0 ? "yes" : "no" } }).ToArray(), Measure.MD, Method.DL, "blinded"),
        ["homogeneous: MH RR, random"] = (Homogeneous, Measure.RR, Method.DL, null),
        ["homogeneous: MH OR, random"] = (Homogeneous, Measure.OR, Method.DL, null),
        ["homogeneous: Peto"] = (Homogeneous, Measure.PETO, Method.PETO, null),
        ["empty subgroup: MH RR, random"] = (EmptySubgroup, Measure.RR, Method.DL, "blinded"),
        ["empty subgroup: Peto"] = (EmptySubgroup, Measure.PETO, Method.PETO, "blinded"),
        ["every study double-zero"] = ([Table("a", 0, 10, 0, 12), Table("b", 0, 20, 0, 18)], Measure.RR, Method.DL, null),
        ["one estimable study"] = ([Table("a", 0, 10, 0, 12), Table("b", 3, 20, 0, 18)], Measure.OR, Method.MH, null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ARevMan5OutcomesBundle_Should_ReproduceEveryFieldInR(string name)
    {
        var (data, measure, method, subgroup) = Catalogue[name];
        var settings = new AnalysisSettings(measure, method, Test.Z, subgroup) { Conventions = Conventions.RevMan5 };
        var result = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(MetaAnalysis.Run(data, settings)));
        var bundle = new BundleSettings(measure.ToString(), method.ToString(), "z", subgroup, null, RowsInCumulativeOrder: true, [], "revman5");
        var studies = data.Select(d => new BundleStudy(d.Study, null, d.Values, subgroup is null ? null : d.Labels.GetValueOrDefault(subgroup))).ToList();

        var files = AnalysisBundle.Files(studies, bundle, result, [], new BundleOrigin("test", null, null, null, null, null, "computed from the case's data"));
        var (stored, reproduced) = await RBundle.RunAsync(AnalysisBundle.Zip(files));

        var differences = JsonFields.Differences(stored, reproduced, Relative, Absolute);
        Assert.True(differences.Count == 0, $"{name}:\n{string.Join("\n", differences)}");
    }

    [Fact]
    public void SettingsJson_Should_NameThePreset_AndStateItsConventionsInWords()
    {
        var revman = JsonDocument.Parse(AnalysisBundle.SettingsJson(new BundleSettings("RR", "DL", "z", null, null, true, [], "revman5"))).RootElement;
        var metafor = JsonDocument.Parse(AnalysisBundle.SettingsJson(new BundleSettings("RR", "DL", "z", null, null, true, []))).RootElement;

        Assert.Equal("revman5", revman.GetProperty("conventions").GetString());
        Assert.Contains("not estimable", revman.GetProperty("conventions_in_words").GetProperty("zero_cells").GetString());
        Assert.Equal("metafor", metafor.GetProperty("conventions").GetString());
        Assert.Contains("escalc defaults", metafor.GetProperty("conventions_in_words").GetProperty("zero_cells").GetString());
    }
}
