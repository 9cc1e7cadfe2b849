using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using Evidence.Statistics;

namespace Evidence.Domain.Bundles;

/// <summary>A file of a bundle: its name in the archive and its bytes.</summary>
public sealed record BundleFile(string Name, byte[] Content);

/// <summary>
/// A version's reproducibility bundle: everything a referee needs to recompute the result with R's
/// metafor, without Evidence. <c>data.csv</c> holds the included studies in metafor's column names
/// (with <c>study</c>, <c>year</c>, the subgroup column under its own name and the moderators);
/// <c>settings.json</c> the measure, method, test, subgroup, cumulative order, moderators and the
/// conventions (the preset's name and its rules in words); <c>analysis.R</c> the script that, run in the unzipped folder, writes
/// <c>reproduced.json</c> with the keys of <c>result.json</c>; <c>events.jsonl</c> the events that
/// led to the version; <c>manifest.json</c> the origin and the SHA-256 of every other file.
/// Pure: the same inputs give the same bytes, apart from the archive's timestamps.
/// </summary>
public static class AnalysisBundle
{
    public const string DataFile = "data.csv";
    public const string SettingsFile = "settings.json";
    public const string ScriptFile = "analysis.R";
    public const string ResultFile = "result.json";
    public const string EventsFile = "events.jsonl";
    public const string ManifestFile = "manifest.json";

    /// <summary>The name of the file <c>analysis.R</c> writes.</summary>
    public const string ReproducedFile = "reproduced.json";

    /// <summary>How the analysis treats what metafor leaves to the analyst under the <c>metafor</c> preset; written into <c>settings.json</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> Conventions = new Dictionary<string, string>
    {
        ["zero_cells"] = "escalc defaults (add = 1/2, to = \"only0\", drop00 = FALSE): 1/2 added to every cell of a 2x2 table with a zero cell, and to events and non-events of a proportion with 0 or n events (PR, PLO); MH and Peto pool the raw counts, MH's Q leaving out tables without events",
        ["non_convergence"] = "an iterative tau² estimator that does not converge in 100 iterations falls back to DL (method_used, and a warning)",
        ["single_study"] = "a fit of one study is a z test with tau² = 0 and Q = 0 on 0 df; no tau² CI and no prediction interval",
        ["intervals"] = "Q-profile CI of tau² and the prediction interval for random effects with two or more studies; the PI uses the test's critical value",
        ["natural_scale"] = "exp for ratios (OR, RR, ROM, PETO), inverse logit for PLO, sin² for PAS, inverse Freeman-Tukey with the harmonic mean of ni for PFT",
        ["subgroups"] = "each level fitted on its own (its own tau²), levels in order of first appearance, a study without the attribute in level \"(none)\"; the test for subgroup differences is a common-effect Q across the level estimates",
        ["cumulative"] = "one fit per study added, in the cumulative order (rows_in_cumulative_order, or the order column: numbers by value, text by characters, ties in row order)",
        ["sensitivity"] = "leave-one-out with two or more studies; Egger's regression test (regtest, model = \"lm\") with three or more studies of different standard errors",
        ["moderators"] = "with moderators the result is the mixed-effects meta-regression alone; R² against the intercept-only model, floored at 0",
        ["percentages"] = "I² and weights in percent",
    };

    /// <summary>RevMan 5's conventions (the <c>revman5</c> preset), as <see cref="Conventions"/> states metafor's; written into <c>settings.json</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> RevMan5Conventions = new Dictionary<string, string>
    {
        ["zero_cells"] = "a 2x2 table with no events in both groups, or only events in both, is not estimable: left out of the model, of k and of the df of Q (effect null, weight 0); any other table with a zero cell gets 1/2 added to every cell (each group's n one larger); Peto keeps the raw counts",
        ["effect_sizes"] = "escalc of the corrected counts for OR, RR and RD; Peto's (O - E)/V with variance 1/V; SMD is RevMan's Hedges' g, (1 - 3/(4N - 9))(m1 - m2)/s_pooled with variance N/(n1 n2) + g²/(2(N - 3.94)); other measures by escalc",
        ["pooling"] = "MH: rma.mh of the corrected counts; PETO: Peto's one-step estimate; FE: inverse variance; DL: inverse-variance weights 1/(vi + tau²), even for 2x2 data",
        ["heterogeneity"] = "Q = Σ(yi - θ)²/vi around the MH estimate (MH, and DL on OR, RR or RD), Peto's estimate, or the inverse-variance one, on k - 1 df; I² = max(0, (Q - df)/Q); H² = Q/df; DerSimonian-Laird tau² from that Q",
        ["intervals"] = "z test and estimate ± qnorm(0.975)·se; no prediction interval and no tau² CI",
        ["natural_scale"] = "exp for ratios (OR, RR, PETO), as metafor's preset for other measures",
        ["subgroups"] = "each level pooled on its own (its own tau²), levels in order of first appearance, a study without the attribute in level \"(none)\"; the test for subgroup differences is the inverse-variance Q between the estimable levels' estimates, on their number less one df",
        ["cumulative"] = "one pooling per study added, in the cumulative order, under the same conventions",
        ["sensitivity"] = "leave-one-out with two or more studies; Egger's regression test (regtest, model = \"lm\") on the estimable studies, with three or more of different standard errors",
        ["percentages"] = "I² and weights in percent; weights are the model's (MH's, Peto's V, or inverse variance)",
    };

    private static readonly JsonSerializerOptions Snake = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly JsonSerializerOptions Line = new(JsonSerializerDefaults.Web) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The text of <c>analysis.R</c>, the same for every bundle (it reads <c>settings.json</c>).</summary>
    public static string Script { get; } = ReadScript();

    /// <summary>The bundle's files, <c>manifest.json</c> last, in the order they are archived.</summary>
    public static IReadOnlyList<BundleFile> Files(
        IReadOnlyList<BundleStudy> studies, BundleSettings settings, JsonElement result, IReadOnlyList<BundleEvent> events, BundleOrigin origin)
    {
        var files = new List<BundleFile>
        {
            new(DataFile, Utf8(Data(studies, settings))),
            new(SettingsFile, Utf8(SettingsJson(settings))),
            new(ScriptFile, Utf8(Script)),
            new(ResultFile, Utf8(JsonSerializer.Serialize(result, Statistics.Analyses.AnalysisJson.Options) + "\n")),
            new(EventsFile, Utf8(string.Concat(events.Select(e => JsonSerializer.Serialize(
                new { e.Sequence, e.Type, e.Who, e.When, e.Why, e.Data }, Line) + "\n")))),
        };
        files.Add(new(ManifestFile, Utf8(Manifest(origin, files))));
        return files;
    }

    /// <summary>The files as a zip archive.</summary>
    public static byte[] Zip(IReadOnlyList<BundleFile> files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in files)
            {
                using var entry = zip.CreateEntry(file.Name, CompressionLevel.Optimal).Open();
                entry.Write(file.Content);
            }
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// <c>data.csv</c>: <c>study</c>, <c>year</c> when any study has one (and no attribute of that name is
    /// another column), the measure's columns (then
    /// any other data column), the subgroup column, the order column when it is neither the year nor
    /// another column, and the moderators. Numbers round-trip exactly; a missing value is empty.
    /// </summary>
    public static string Data(IReadOnlyList<BundleStudy> studies, BundleSettings settings)
    {
        var measureColumns = MeasureCatalogue.FindMeasure(settings.Measure)?.Columns ?? [];
        // A subgroup or moderator that is an attribute named "year" takes the column.
        var withYear = studies.Any(s => s.Year is not null) && settings.Subgroup != "year" && !settings.Moderators.Contains("year");
        string[] named = ["study", .. withYear ? ["year"] : Array.Empty<string>(), .. settings.Subgroup is { } label ? [label] : Array.Empty<string>(), .. settings.Moderators];
        var dataColumns = measureColumns.Where(c => studies.Any(s => s.Data.ContainsKey(c)))
            .Concat(studies.SelectMany(s => s.Data.Keys).Distinct().Where(c => !measureColumns.Contains(c)).Order(StringComparer.Ordinal))
            .Where(c => !named.Contains(c)).ToList();
        var orderColumn = settings.Order is { } order && !(withYear && order == "year") && order != settings.Subgroup && !dataColumns.Contains(order)
            && !settings.Moderators.Contains(order) ? order : null;

        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        csv.WriteField("study");
        if (withYear)
            csv.WriteField("year");
        foreach (var column in dataColumns)
            csv.WriteField(column);
        if (settings.Subgroup is { } subgroup)
            csv.WriteField(subgroup);
        if (orderColumn is not null)
            csv.WriteField(orderColumn);
        foreach (var moderator in settings.Moderators)
            csv.WriteField(moderator);
        csv.NextRecord();
        foreach (var s in studies)
        {
            csv.WriteField(s.Study);
            if (withYear)
                csv.WriteField(s.Year?.ToString(CultureInfo.InvariantCulture) ?? "");
            foreach (var column in dataColumns)
                csv.WriteField(Number(s.Data, column));
            if (settings.Subgroup is not null)
                csv.WriteField(s.Subgroup ?? "(none)");
            if (orderColumn is not null)
                csv.WriteField(s.Order ?? "");
            foreach (var moderator in settings.Moderators)
                csv.WriteField(Number(s.Moderators ?? new Dictionary<string, double>(), moderator));
            csv.NextRecord();
        }
        csv.Flush();
        return text.ToString();
    }

    /// <summary>
    /// <c>settings.json</c>: the settings in snake case; <c>conventions</c> names the preset
    /// (<c>metafor</c> or <c>revman5</c>, which <c>analysis.R</c> follows) and
    /// <c>conventions_in_words</c> states it (<see cref="Conventions"/> or <see cref="RevMan5Conventions"/>).
    /// </summary>
    public static string SettingsJson(BundleSettings settings) => JsonSerializer.Serialize(new
    {
        settings.Measure, settings.Method, settings.Test, settings.Subgroup, settings.Order, settings.RowsInCumulativeOrder, settings.Moderators,
        settings.Conventions,
        ConventionsInWords = MeasureCatalogue.FindConventions(settings.Conventions) == Statistics.Conventions.RevMan5 ? RevMan5Conventions : Conventions,
    }, Snake) + "\n";

    /// <summary><c>manifest.json</c>: the origin and the SHA-256 (hex) of each of <paramref name="files"/>.</summary>
    public static string Manifest(BundleOrigin origin, IReadOnlyList<BundleFile> files) => JsonSerializer.Serialize(new
    {
        origin.EngineVersion, origin.InputHash, origin.Review, origin.Outcome, origin.Version, origin.Cause,
        Result = origin.ResultSource,
        Files = files.ToDictionary(f => f.Name, f => Convert.ToHexStringLower(SHA256.HashData(f.Content))),
    }, Snake) + "\n";

    private static string Number(IReadOnlyDictionary<string, double> values, string column) =>
        values.TryGetValue(column, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : "";

    private static byte[] Utf8(string text) => new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);

    private static string ReadScript()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Evidence.Domain.Bundles.analysis.R")
            ?? throw new InvalidOperationException("analysis.R is not embedded.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
