using System.Globalization;
using System.IO.Compression;
using System.Text;
using CsvHelper;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Api.Exports;

/// <summary>
/// Writes a review's outcomes as a RevMan Web data package (version 1 layout:
/// <c>{review}-analysis-data/</c> with <c>-data-rows.csv</c>, <c>-overall-estimates-and-settings.csv</c>
/// and <c>-subgroup-estimates.csv</c>, UTF-8 with a BOM, the columns RevMan Web writes). The review is
/// analysis group 1; each outcome, in id order, an analysis numbered from 1, from the version given
/// for it. Binary data fill the case and N columns, continuous data the mean, SD and N columns; every
/// study row carries its effect and standard error (<c>GIV Mean</c>, <c>GIV SE</c>, on the analysis
/// scale: ln for ratios) and its estimate and 95% CI on the natural scale. Numbers are rounded to 6
/// decimal places, as RevMan Web writes them. Not represented: the tau² estimator (any other than
/// DL is written as a random-effects model), the test (Knapp-Hartung), the convention preset,
/// moderators, excluded and retracted trials.
/// </summary>
public static class DataPackageWriter
{
    public static readonly string[] SettingsColumns =
    [
        "Analysis group", "Analysis number", "Analysis name", "Analysis group name", "Data source", "Data source eligibility", "Data type",
        "Log-scale data", "Outcome", "Intervention grouping", "Experimental intervention", "Control intervention", "Subgroup by", "Filter criteria",
        "Experimental group label", "Control group label", "Statistical method", "Effect measure", "Unit of effect measure", "Analysis model",
        "Subgroup estimates", "Overall estimates", "Test for subgroup differences", "Swap event and non-event", "Study CI", "Estimate CI",
        "Experimental cases", "Experimental N", "Control cases", "Control N", "Mean", "CI start", "CI end", "Heterogeneity Tau²",
        "Heterogeneity Chi²", "Heterogeneity df", "Heterogeneity P", "Heterogeneity I²", "Effect Z", "Effect P", "Subgroup Chi²", "Subgroup df",
        "Subgroup P", "Subgroup I²", "ID",
    ];

    public static readonly string[] DataRowColumns =
    [
        "Analysis group", "Analysis number", "Analysis name", "Subgroup", "Applicability", "Study", "Study year", "GIV Mean", "GIV SE",
        "Experimental mean", "Experimental SD", "Experimental cases", "Experimental N", "Control mean", "Control SD", "Control cases", "Control N",
        "O-E", "Variance", "Weight", "Mean", "CI start", "CI end", "Footnotes",
    ];

    public static readonly string[] SubgroupColumns =
    [
        "Analysis group", "Analysis number", "Subgroup", "Subgroup number", "Experimental cases", "Experimental N", "Control cases", "Control N",
        "Weight", "Mean", "CI start", "CI end", "Heterogeneity Tau²", "Heterogeneity Chi²", "Heterogeneity df", "Heterogeneity P",
        "Heterogeneity I²", "Effect Z", "Effect P", "ID",
    ];

    /// <summary>The package as a zip of the three CSV files.</summary>
    public static byte[] Zip(string reviewId, string reviewTitle, IReadOnlyList<(Outcome Outcome, Snapshot Snapshot)> outcomes)
    {
        var files = Files(reviewId, reviewTitle, outcomes);
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, text) in files)
            {
                using var entry = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(Encoding.UTF8.GetPreamble());
                entry.Write(Encoding.UTF8.GetBytes(text));
            }
        }
        return buffer.ToArray();
    }

    /// <summary>The three CSV files by their path in the package.</summary>
    public static IReadOnlyList<(string Name, string Text)> Files(string reviewId, string reviewTitle, IReadOnlyList<(Outcome Outcome, Snapshot Snapshot)> outcomes)
    {
        var folder = $"{reviewId}-analysis-data/{reviewId}";
        var settings = Table(SettingsColumns);
        var rows = Table(DataRowColumns);
        var subgroups = Table(SubgroupColumns);
        foreach (var ((outcome, snapshot), index) in outcomes.Select((o, i) => (o, i + 1)))
        {
            var measure = MeasureCatalogue.ParseMeasure(snapshot.Settings.Measure);
            var result = snapshot.Analysis();
            var overall = result.Estimable ? result.Overall : null;
            var id = $"analysis:{reviewId}/{outcome.Id}/v{snapshot.Version}";
            var random = MeasureCatalogue.ParseMethod(snapshot.Settings.Method).RandomEffects;
            var totals = Totals(snapshot.DataType, snapshot.Included);
            var test = result.Subgroups;
            settings.Add(
            [
                "1", N(index), outcome.Name, reviewTitle, "Custom input", "#N/A", DataTypeName(snapshot.DataType), Bool(measure.IsRatio),
                "", "", "", "", snapshot.Settings.Subgroup ?? "", "", "Experimental", "Control", MethodName(snapshot.Settings.Method),
                MeasureName(measure.Measure), "", random ? "Random effect" : "Fixed effect", Bool(test is not null), "true", Bool(test is not null), "false",
                "95%", "95%", totals[0], totals[1], totals[2], totals[3], .. Estimate(overall, measure), random ? D(overall?.Tau2) : "",
                D(overall?.Q), N(overall?.QDf), D(overall?.QP), D(overall?.I2), D(overall?.Statistic), D(overall?.P),
                D(test?.QBetween), N(test?.QBetweenDf), D(test?.QBetweenP), D(test is null ? null : I2(test.QBetween, test.QBetweenDf)), id,
            ]);
            foreach (var study in snapshot.Included)
            {
                var se = study.Vi is { } vi ? Math.Sqrt(vi) : (double?)null;
                var (lower, upper) = study.Yi is { } yi && se is { } s ? (yi - RevMan5Pooling.Critical * s, yi + RevMan5Pooling.Critical * s) : (double.NaN, double.NaN);
                var natural = measure.At(double.NaN);
                string Value(string column) => study.Data.TryGetValue(column, out var v) ? D(v) : "0";
                var binary = snapshot.DataType == DataType.Binary.Name;
                var continuous = snapshot.DataType == DataType.Continuous.Name;
                rows.Add(
                [
                    "1", N(index), outcome.Name, study.Subgroup ?? "", "SUBGROUP_AND_OVERALL", study.TrialId, N(study.Year), D(study.Yi), D(se),
                    continuous ? Value("m1i") : "0", continuous ? Value("sd1i") : "0",
                    binary ? Value("ai") : "0", binary ? D(study.Data["ai"] + study.Data["bi"]) : continuous ? Value("n1i") : "0",
                    continuous ? Value("m2i") : "0", continuous ? Value("sd2i") : "0",
                    binary ? Value("ci") : "0", binary ? D(study.Data["ci"] + study.Data["di"]) : continuous ? Value("n2i") : "0",
                    "0", "0", D(study.Weight), D(study.Yi is { } y ? natural.ToNatural(y) : null), D(natural.ToNatural(lower)), D(natural.ToNatural(upper)), "",
                ]);
            }
            foreach (var (group, number) in (test?.Groups ?? []).Select((g, i) => (g, i + 1)))
            {
                var members = snapshot.Included.Where(s => (s.Subgroup ?? "(none)") == group.Level).ToList();
                var sums = Totals(snapshot.DataType, members);
                var fit = double.IsFinite(group.Fit.Estimate) ? group.Fit : null;
                subgroups.Add(
                [
                    "1", N(index), group.Level, N(number), sums[0], sums[1], sums[2], sums[3], D(members.Sum(m => m.Weight ?? 0)),
                    .. Estimate(fit, measure), random ? D(fit?.Tau2) : "", D(fit?.Q), N(fit?.QDf), D(fit?.QP), D(fit?.I2), D(fit?.Statistic), D(fit?.P),
                    $"{id}/subgroup:{number}",
                ]);
            }
        }
        return [($"{folder}-data-rows.csv", Csv(rows)), ($"{folder}-overall-estimates-and-settings.csv", Csv(settings)), ($"{folder}-subgroup-estimates.csv", Csv(subgroups))];
    }

    /// <summary>The estimate and CI on the natural scale; empty when there is none.</summary>
    private static string[] Estimate(Pooled? fit, MeasureDefinition measure)
    {
        if (fit is null)
            return ["", "", ""];
        if (fit.Natural is { } natural)
            return [D(natural.Estimate), D(natural.CiLower), D(natural.CiUpper)];
        var scale = measure.At(double.NaN);
        return [D(scale.ToNatural(fit.Estimate)), D(scale.ToNatural(fit.CiLower)), D(scale.ToNatural(fit.CiUpper))];
    }

    private static string[] Totals(string dataType, IEnumerable<IncludedStudy> studies)
    {
        var list = studies.ToList();
        double Sum(Func<IReadOnlyDictionary<string, double>, double> f) => list.Sum(s => f(s.Data));
        double Get(IReadOnlyDictionary<string, double> d, string k) => d.TryGetValue(k, out var v) ? v : 0;
        if (dataType == DataType.Binary.Name)
            return [D(Sum(d => Get(d, "ai"))), D(Sum(d => Get(d, "ai") + Get(d, "bi"))), D(Sum(d => Get(d, "ci"))), D(Sum(d => Get(d, "ci") + Get(d, "di")))];
        if (dataType == DataType.Continuous.Name)
            return ["", D(Sum(d => Get(d, "n1i"))), "", D(Sum(d => Get(d, "n2i")))];
        return ["", "", "", ""];
    }

    private static double I2(double q, int df) => df > 0 && q > 0 ? Math.Max(0, 100 * (q - df) / q) : 0;

    private static string DataTypeName(string dataType) =>
        dataType == DataType.Binary.Name ? "Dichotomous" : dataType == DataType.Continuous.Name ? "Continuous" : "Contrast level";

    private static string MethodName(string method) => method is "MH" or "PETO" ? method : "IV";

    private static string MeasureName(Measure measure) => measure switch
    {
        Measure.OR => "Odds Ratio",
        Measure.RR => "Risk Ratio",
        Measure.RD => "Risk Difference",
        Measure.PETO => "Peto Odds Ratio",
        Measure.MD => "Mean Difference",
        Measure.SMD => "Std. Mean Difference",
        _ => MeasureCatalogue.Of(measure).Name,
    };

    private static List<string[]> Table(string[] header) => [header];

    private static string Csv(List<string[]> table)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, CultureInfo.InvariantCulture))
        {
            foreach (var row in table)
            {
                foreach (var cell in row)
                    csv.WriteField(cell);
                csv.NextRecord();
            }
        }
        return text.ToString();
    }

    private static string Bool(bool value) => value ? "true" : "false";

    private static string N(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "";

    /// <summary>A number rounded to 6 decimal places, as RevMan Web writes them; empty when there is none.</summary>
    private static string D(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 6).ToString(CultureInfo.InvariantCulture) : "";
}
