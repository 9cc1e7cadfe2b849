using System.Globalization;
using Evidence.Cli.Common;

namespace Evidence.Cli.Importing;

/// <summary>An outcome row of <c>outcomes.csv</c>, as the API's request body; <c>Conventions</c> is the preset (null: the API's default, metafor).</summary>
public sealed record OutcomeRequest(string Id, string Name, string DataType, string Measure, string Method, string? Test, string? Subgroup, string? Order, string? Conventions = null);

/// <summary>A trial gathered from its rows of <c>trials.csv</c> (one row per trial and outcome).</summary>
public sealed record TrialRequest(string Id, int Year, string Source, Dictionary<string, string> Attributes, Dictionary<string, Dictionary<string, double>> Data);

/// <summary>
/// A row of <c>thresholds.csv</c>: an outcome's decision thresholds on the natural scale, its control
/// risk (a proportion or <c>pooled</c>), whether more of the outcome is better, and why.
/// </summary>
public sealed record ThresholdsRequest(string Outcome, double? Null, double? Lower, double? Upper, string? ControlRisk, bool? HigherIsBetter, string Reason);

/// <summary>
/// A row of <c>sequential.csv</c>: an outcome's trial sequential analysis parameters as the API takes
/// them. <see cref="ControlRisk"/> is a proportion or <c>pooled</c>; <see cref="Heterogeneity"/>
/// <c>D2</c>, <c>I2</c>, <c>none</c> or a fraction in [0, 1); <see cref="Spending"/> <c>OBF</c> or <c>Pocock</c>.
/// </summary>
public sealed record SequentialRequest(
    string Outcome, double Alpha, double Beta, string? ControlRisk, double? RelativeRiskReduction, double? MeanDifference, double? StandardDeviation,
    string Heterogeneity, string Spending, string Reason)
{
    /// <summary>The request body: the control risk and a numeric heterogeneity as numbers, <c>pooled</c> and the named adjustments as text.</summary>
    public object Body() => new
    {
        alpha = Alpha, beta = Beta,
        controlRisk = ControlRisk is null ? null : ControlRisk == "pooled" ? "pooled" : (object)double.Parse(ControlRisk, CultureInfo.InvariantCulture),
        relativeRiskReduction = RelativeRiskReduction, meanDifference = MeanDifference, standardDeviation = StandardDeviation,
        heterogeneity = double.TryParse(Heterogeneity, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) ? h : (object)Heterogeneity,
        spending = Spending, reason = Reason,
    };
}

/// <summary>
/// The changed fields of <c>corrections.csv</c> that share a trial and reason: one correction. A
/// row's <c>derived</c> note replaces the trial's note on how that outcome's numbers were derived.
/// </summary>
public sealed record CorrectionRequest(
    string Trial, Dictionary<string, Dictionary<string, double>> Data, Dictionary<string, string> Attributes,
    string Reason, string? Source, List<(string Outcome, string Field, double? Old)> Expected);

/// <summary>Reads the review files (the layout of the LD-IL-2 demo) into API requests, naming the row and column of any bad cell.</summary>
public static class ReviewFiles
{
    public static readonly IReadOnlySet<string> DataColumns = new HashSet<string>(StringComparer.Ordinal)
    {
        "ai", "bi", "ci", "di", "m1i", "sd1i", "n1i", "m2i", "sd2i", "n2i", "m_pre", "sd_pre", "m_post", "sd_post", "ni", "ri", "xi", "yi", "vi",
    };

    private static readonly HashSet<string> TrialFields = new(StringComparer.Ordinal) { "trial", "year", "outcome", "source", "derived", "registry_id" };

    public static List<OutcomeRequest> Outcomes(CsvTable csv)
    {
        Require(csv, "outcome", "name", "data_type", "measure", "method");
        return Enumerable.Range(0, csv.Rows.Count).Select(r => new OutcomeRequest(
            Cell(csv, r, "outcome"), Cell(csv, r, "name"), Cell(csv, r, "data_type"), Cell(csv, r, "measure"), Cell(csv, r, "method"),
            csv.Cell(r, "test"), csv.Cell(r, "subgroup"), csv.Cell(r, "order"))).ToList();
    }

    /// <summary>Trials in year order (file order within a year); each trial's rows are merged.</summary>
    public static List<TrialRequest> Trials(CsvTable csv)
    {
        Require(csv, "trial", "year", "outcome");
        var attributes = csv.Header.Where(h => !TrialFields.Contains(h) && !DataColumns.Contains(h)).ToList();
        var trials = new Dictionary<string, TrialRequest>(StringComparer.Ordinal);
        var sources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        for (var r = 0; r < csv.Rows.Count; r++)
        {
            var id = Cell(csv, r, "trial");
            var year = int.TryParse(Cell(csv, r, "year"), NumberStyles.None, CultureInfo.InvariantCulture, out var y)
                ? y : throw new CsvException(csv.Path, csv.RowNumber(r), "year", "must be a whole number");
            if (!trials.TryGetValue(id, out var trial))
            {
                trial = new TrialRequest(id, year, "", new Dictionary<string, string>(StringComparer.Ordinal), new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal));
                trials[id] = trial;
                sources[id] = [];
            }
            else if (trial.Year != year)
                throw new CsvException(csv.Path, csv.RowNumber(r), "year", $"differs from the year {trial.Year} of the trial's earlier rows");

            foreach (var name in attributes)
            {
                if (csv.Cell(r, name) is { } value)
                    trial.Attributes[name] = value;
            }
            var outcome = Cell(csv, r, "outcome");
            if (trial.Data.ContainsKey(outcome))
                throw new CsvException(csv.Path, csv.RowNumber(r), "outcome", $"trial '{id}' already has a row for outcome '{outcome}'");
            trial.Data[outcome] = Numbers(csv, r, csv.Header.Where(DataColumns.Contains));
            if (csv.Cell(r, "derived") is { } derived)
                trial.Attributes[$"derived-{outcome}"] = derived;
            if (csv.Cell(r, "source") is { } source && !sources[id].Contains(source))
                sources[id].Add(source);
        }
        return trials.Values
            .Select(t => t with { Source = sources[t.Id].Count > 0 ? string.Join(" | ", sources[t.Id]) : "not given" })
            .OrderBy(t => t.Year)
            .ToList();
    }

    /// <summary>One row per outcome: outcome, reason, and optionally null, lower, upper, control_risk, higher_is_better.</summary>
    public static List<ThresholdsRequest> Thresholds(CsvTable csv)
    {
        Require(csv, "outcome", "reason");
        double? Optional(int r, string column) => csv.Cell(r, column) is null ? null : Number(csv, r, column);
        return Enumerable.Range(0, csv.Rows.Count).Select(r =>
        {
            var risk = csv.Cell(r, "control_risk");
            if (risk is not null && risk != "pooled")
                Number(csv, r, "control_risk");
            var better = csv.Cell(r, "higher_is_better") switch
            {
                null => (bool?)null,
                "true" => true,
                "false" => false,
                var other => throw new CsvException(csv.Path, csv.RowNumber(r), "higher_is_better", $"'{other}' is not true or false"),
            };
            return new ThresholdsRequest(Cell(csv, r, "outcome"), Optional(r, "null"), Optional(r, "lower"), Optional(r, "upper"), risk, better, Cell(csv, r, "reason"));
        }).ToList();
    }

    /// <summary>
    /// One row per outcome: outcome, alpha, beta, heterogeneity, spending, reason, and the anticipated
    /// effect (control_risk and relative_risk_reduction, or mean_difference and standard_deviation).
    /// The API checks the values' ranges; here each cell must be readable.
    /// </summary>
    public static List<SequentialRequest> Sequential(CsvTable csv)
    {
        Require(csv, "outcome", "alpha", "beta", "heterogeneity", "spending", "reason");
        double? Optional(int r, string column) => csv.Cell(r, column) is null ? null : Number(csv, r, column);
        return Enumerable.Range(0, csv.Rows.Count).Select(r =>
        {
            var risk = csv.Cell(r, "control_risk");
            if (risk is not null && risk != "pooled")
                Number(csv, r, "control_risk");
            var heterogeneity = Cell(csv, r, "heterogeneity");
            heterogeneity = heterogeneity.ToUpperInvariant() switch
            {
                "D2" or "I2" => heterogeneity.ToUpperInvariant(),
                "NONE" => "none",
                _ when double.TryParse(heterogeneity, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) && double.IsFinite(h) => heterogeneity,
                _ => throw new CsvException(csv.Path, csv.RowNumber(r), "heterogeneity", $"'{heterogeneity}' is not D2, I2, none or a fraction"),
            };
            var spending = Cell(csv, r, "spending");
            spending = spending.ToUpperInvariant() switch
            {
                "OBF" => "OBF",
                "POCOCK" => "Pocock",
                _ => throw new CsvException(csv.Path, csv.RowNumber(r), "spending", $"'{spending}' is not OBF or Pocock"),
            };
            return new SequentialRequest(Cell(csv, r, "outcome"), Number(csv, r, "alpha"), Number(csv, r, "beta"), risk,
                Optional(r, "relative_risk_reduction"), Optional(r, "mean_difference"), Optional(r, "standard_deviation"),
                heterogeneity, spending, Cell(csv, r, "reason"));
        }).ToList();
    }

    /// <summary>Rows that share trial and reason, in file order, make one correction (with the first row's source).</summary>
    public static List<CorrectionRequest> Corrections(CsvTable csv)
    {
        Require(csv, "trial", "outcome", "field", "new", "reason");
        var corrections = new List<CorrectionRequest>();
        for (var r = 0; r < csv.Rows.Count; r++)
        {
            var trial = Cell(csv, r, "trial");
            var outcome = Cell(csv, r, "outcome");
            var field = Cell(csv, r, "field");
            if (!DataColumns.Contains(field))
                throw new CsvException(csv.Path, csv.RowNumber(r), "field", $"'{field}' is not a data column");
            var reason = Cell(csv, r, "reason");
            var source = csv.Cell(r, "source");
            var value = Number(csv, r, "new");
            double? old = csv.Cell(r, "old") is null ? null : Number(csv, r, "old");
            var correction = corrections.LastOrDefault(c => c.Trial == trial && c.Reason == reason);
            if (correction is null)
            {
                correction = new CorrectionRequest(trial, new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal),
                    new Dictionary<string, string>(StringComparer.Ordinal), reason, source, []);
                corrections.Add(correction);
            }
            if (!correction.Data.TryGetValue(outcome, out var columns))
                correction.Data[outcome] = columns = new Dictionary<string, double>(StringComparer.Ordinal);
            columns[field] = value;
            correction.Expected.Add((outcome, field, old));
            if (csv.Cell(r, "derived") is { } derived)
                correction.Attributes.TryAdd($"derived-{outcome}", derived);
        }
        return corrections;
    }

    private static Dictionary<string, double> Numbers(CsvTable csv, int row, IEnumerable<string> columns) =>
        columns.Where(c => csv.Cell(row, c) is not null).ToDictionary(c => c, c => Number(csv, row, c), StringComparer.Ordinal);

    private static double Number(CsvTable csv, int row, string column) =>
        double.TryParse(csv.Cell(row, column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CsvException(csv.Path, csv.RowNumber(row), column, $"'{csv.Cell(row, column)}' is not a finite number");

    private static string Cell(CsvTable csv, int row, string column) =>
        csv.Cell(row, column) ?? throw new CsvException(csv.Path, csv.RowNumber(row), column, "is empty");

    private static void Require(CsvTable csv, params string[] columns)
    {
        foreach (var column in columns.Where(c => !csv.Has(c)))
            throw new CsvException(csv.Path, 0, column, "is missing from the header");
    }
}
