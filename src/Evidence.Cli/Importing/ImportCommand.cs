using System.ComponentModel;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evidence.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Evidence.Cli.Importing;

/// <summary>The options of <c>evidence import</c>.</summary>
public sealed class ImportSettings : ApiSettings
{
    [CommandOption("--outcomes <FILE>", isRequired: true)]
    [Description("CSV of the outcomes: outcome, name, data_type, measure, method, and optionally test, subgroup, order")]
    public string Outcomes { get; set; } = "";

    [CommandOption("--trials <FILE>", isRequired: true)]
    [Description("CSV of the trials, one row per trial and outcome: trial, year, outcome, the data columns, and attributes")]
    public string Trials { get; set; } = "";

    [CommandOption("--corrections <FILE>")]
    [Description("CSV of corrections: trial, outcome, field, old, new, reason, and optionally source and derived")]
    public string? Corrections { get; set; }

    [CommandOption("--thresholds <FILE>")]
    [Description("CSV of outcomes' decision thresholds: outcome, reason, and optionally null, lower, upper (natural scale), control_risk (a proportion or 'pooled'), higher_is_better")]
    public string? Thresholds { get; set; }

    [CommandOption("--sequential <FILE>")]
    [Description("CSV of outcomes' trial sequential analysis parameters: outcome, alpha, beta, heterogeneity (D2, I2, none or a fraction), spending (OBF or Pocock), reason, and control_risk (a proportion or 'pooled') with relative_risk_reduction, or mean_difference with standard_deviation; set before the trials, so every version carries the analysis")]
    public string? Sequential { get; set; }

    [CommandOption("--title <TITLE>")]
    [Description("Title of the review, when it is created; defaults to its id")]
    public string? Title { get; set; }

    [CommandOption("--question <QUESTION>")]
    [Description("The review's question, when it is created")]
    public string? Question { get; set; }
}

/// <summary>
/// <c>evidence import</c>: posts a review's outcomes, trials (one batch per publication year, in year
/// order) and corrections through the API. Every request carries a stable idempotency key, and trials
/// the review has already are not sent again, so a rerun appends nothing.
/// </summary>
public sealed class ImportCommand(Terminal terminal) : AsyncCommand<ImportSettings>
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public override async Task<int> ExecuteAsync(CommandContext context, ImportSettings args, CancellationToken cancellationToken)
    {
        var review = args.Review;
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(args.Outcomes));
        var trials = ReviewFiles.Trials(CsvTable.Read(args.Trials));
        var corrections = args.Corrections is { } path ? ReviewFiles.Corrections(CsvTable.Read(path)) : [];
        var thresholds = args.Thresholds is { } file ? ReviewFiles.Thresholds(CsvTable.Read(file)) : [];
        var sequential = args.Sequential is { } parameters ? ReviewFiles.Sequential(CsvTable.Read(parameters)) : [];
        var title = args.Title ?? review;
        var question = args.Question ?? $"Imported review {review}";
        using var http = args.Connect(TimeSpan.FromSeconds(60));

        var tally = await ImportAsync(http, review, title, question, outcomes, trials, corrections, terminal.Error, cancellationToken, thresholds, sequential);
        tally.Print(terminal.Output);
        return tally.Failed ? 1 : 0;
    }

    /// <summary>
    /// Posts the review, its outcomes with their thresholds and sequential parameters, its trials in
    /// batches by year and its corrections; reports what happened to each.
    /// </summary>
    public static async Task<Tally> ImportAsync(
        HttpClient http, string review, string title, string question,
        IReadOnlyList<OutcomeRequest> outcomes, IReadOnlyList<TrialRequest> trials, IReadOnlyList<CorrectionRequest> corrections,
        TextWriter progress, CancellationToken ct, IReadOnlyList<ThresholdsRequest>? thresholds = null, IReadOnlyList<SequentialRequest>? sequential = null)
    {
        var tally = new Tally();
        thresholds ??= [];
        sequential ??= [];
        var total = 1 + outcomes.Count + thresholds.Count + sequential.Count + trials.Count + corrections.Count;
        await Terminal.Console(progress).Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async run =>
            {
                var bar = run.AddTask($"import {review}", maxValue: total);
                if ((await http.GetAsync($"reviews/{review}", ct)).StatusCode == HttpStatusCode.NotFound)
                    tally.Count("review", await PostAsync(http, "reviews", new { id = review, title, question }, $"import/{review}/review", null, ct));
                else
                    tally.Count("review", ItemResult.Present);
                bar.Increment(1);

                foreach (var o in outcomes)
                {
                    tally.Count("outcomes", await PostAsync(http, $"reviews/{review}/outcomes", o, $"import/{review}/outcome/{o.Id}", null, ct), o.Id);
                    bar.Increment(1);
                }
                foreach (var t in thresholds)
                {
                    tally.Count("thresholds", await ThresholdsAsync(http, review, t, ct), t.Outcome);
                    bar.Increment(1);
                }
                foreach (var q in sequential)
                {
                    tally.Count("sequential", await SequentialAsync(http, review, q, ct), q.Outcome);
                    bar.Increment(1);
                }
                var present = await TrialIdsAsync(http, review, ct);
                foreach (var t in trials.Where(t => present.Contains(t.Id)))
                {
                    tally.Count("trials", ItemResult.Present, t.Id);
                    bar.Increment(1);
                }
                foreach (var (year, batch) in Batches(trials.Where(t => !present.Contains(t.Id))))
                {
                    var body = new { trials = batch.Select(t => new { id = t.Id, year = t.Year, source = t.Source, attributes = t.Attributes, data = t.Data }) };
                    var key = $"import/{review}/trials/{year}/{Hash(JsonSerializer.Serialize(body, Json))}";
                    var result = await PostAsync(http, $"reviews/{review}/trials/batch", body, key, null, ct);
                    if (result.Error is not null)
                        tally.Count("trials", result, $"{year} ({batch.Count} trials)");
                    else
                    {
                        foreach (var t in batch)
                            tally.Count("trials", result, t.Id);
                    }
                    bar.Increment(batch.Count);
                }
                foreach (var c in corrections)
                {
                    tally.Count("corrections", await CorrectAsync(http, review, c, ct), c.Trial);
                    bar.Increment(1);
                }
            });
        return tally;
    }

    /// <summary>The most trials, and the most bytes of trials, a batch is sent with (the API takes 1,000 trials and 4 MiB).</summary>
    private const int BatchTrials = 1000;

    private const int BatchBytes = 3 * 1024 * 1024;

    /// <summary>
    /// The trials in batches of one publication year each (split when a year has more than a batch
    /// holds), oldest year first, so the review's history reads year by year: one version per
    /// outcome and year.
    /// </summary>
    public static IEnumerable<(int Year, List<TrialRequest> Trials)> Batches(IEnumerable<TrialRequest> trials)
    {
        foreach (var year in trials.GroupBy(t => t.Year).OrderBy(g => g.Key))
        {
            var batch = new List<TrialRequest>();
            var bytes = 0;
            foreach (var t in year)
            {
                var size = JsonSerializer.SerializeToUtf8Bytes(t, Json).Length;
                if (batch.Count == BatchTrials || (batch.Count > 0 && bytes + size > BatchBytes))
                {
                    yield return (year.Key, batch);
                    (batch, bytes) = ([], 0);
                }
                batch.Add(t);
                bytes += size;
            }
            yield return (year.Key, batch);
        }
    }

    /// <summary>The ids of the review's trials recorded already (none when the review cannot be read yet).</summary>
    private static async Task<HashSet<string>> TrialIdsAsync(HttpClient http, string review, CancellationToken ct)
    {
        using var response = await http.GetAsync($"reviews/{review}/trials", ct);
        if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength == 0)
            return [];
        var trials = await response.Content.ReadFromJsonAsync<JsonElement>(ct);
        return trials.ValueKind != JsonValueKind.Array ? []
            : [.. trials.EnumerateArray().Select(t => t.GetProperty("id").GetString()!)];
    }

    /// <summary>Sets an outcome's thresholds unless they are set as the file says already (a rerun appends nothing).</summary>
    private static async Task<ItemResult> ThresholdsAsync(HttpClient http, string review, ThresholdsRequest t, CancellationToken ct)
    {
        using var current = await http.GetAsync($"reviews/{review}", ct);
        if (!current.IsSuccessStatusCode)
            return ItemResult.Failed($"review {review}: {(int)current.StatusCode}");
        var outcome = (await current.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("outcomes").EnumerateArray()
            .FirstOrDefault(o => o.GetProperty("id").GetString() == t.Outcome);
        if (outcome.ValueKind == JsonValueKind.Undefined)
            return ItemResult.Failed($"outcome {t.Outcome} is not in the review");
        var pooled = t.ControlRisk == "pooled";
        object? risk = pooled ? "pooled" : t.ControlRisk is { } p ? double.Parse(p, System.Globalization.CultureInfo.InvariantCulture) : null;
        if (outcome.TryGetProperty("thresholds", out var set) && Same(set, t, pooled))
            return ItemResult.Present;
        var body = new { @null = t.Null, lower = t.Lower, upper = t.Upper, controlRisk = risk, higherIsBetter = t.HigherIsBetter, reason = t.Reason };
        var key = $"import/{review}/thresholds/{t.Outcome}/{Hash(JsonSerializer.Serialize(body, Json))}";
        return await PostAsync(http, $"reviews/{review}/outcomes/{t.Outcome}/thresholds", body, key, current.Headers.ETag?.Tag, ct);
    }

    /// <summary>Sets an outcome's sequential parameters unless they are set as the file says already (a rerun appends nothing).</summary>
    private static async Task<ItemResult> SequentialAsync(HttpClient http, string review, SequentialRequest q, CancellationToken ct)
    {
        using var current = await http.GetAsync($"reviews/{review}", ct);
        if (!current.IsSuccessStatusCode)
            return ItemResult.Failed($"review {review}: {(int)current.StatusCode}");
        var outcome = (await current.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("outcomes").EnumerateArray()
            .FirstOrDefault(o => o.GetProperty("id").GetString() == q.Outcome);
        if (outcome.ValueKind == JsonValueKind.Undefined)
            return ItemResult.Failed($"outcome {q.Outcome} is not in the review");
        if (outcome.TryGetProperty("sequential", out var set) && Same(set, q))
            return ItemResult.Present;
        var body = q.Body();
        var key = $"import/{review}/sequential/{q.Outcome}/{Hash(JsonSerializer.Serialize(body, Json))}";
        return await PostAsync(http, $"reviews/{review}/outcomes/{q.Outcome}/sequential", body, key, current.Headers.ETag?.Tag, ct);
    }

    private static bool Same(JsonElement set, SequentialRequest q)
    {
        if (set.ValueKind != JsonValueKind.Object)
            return false;
        double? Read(string name) => set.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        string? Text(string name) => set.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var pooled = q.ControlRisk == "pooled";
        return Read("alpha") == q.Alpha && Read("beta") == q.Beta
            && SameHeterogeneity(Text("heterogeneity"), q.Heterogeneity)
            && string.Equals(Text("spending"), q.Spending, StringComparison.OrdinalIgnoreCase)
            && (set.TryGetProperty("pooledControlRisk", out var p) && p.ValueKind == JsonValueKind.True) == pooled
            && Read("controlRisk") == (pooled || q.ControlRisk is null ? null : double.Parse(q.ControlRisk, System.Globalization.CultureInfo.InvariantCulture))
            && Read("relativeRiskReduction") == q.RelativeRiskReduction
            && Read("meanDifference") == q.MeanDifference && Read("standardDeviation") == q.StandardDeviation;
    }

    /// <summary>A word in any case, or the same fraction however it is written (0.5 and 0.50).</summary>
    private static bool SameHeterogeneity(string? stored, string asked) =>
        string.Equals(stored, asked, StringComparison.OrdinalIgnoreCase)
        || (double.TryParse(stored, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var a)
            && double.TryParse(asked, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var b) && a == b);

    private static bool Same(JsonElement set, ThresholdsRequest t, bool pooled)
    {
        double? Read(string name) => set.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
        bool Flag(string name) => set.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        return Read("null") == t.Null && Read("lower") == t.Lower && Read("upper") == t.Upper
            && Flag("pooledControlRisk") == pooled
            && Read("controlRisk") == (pooled || t.ControlRisk is null ? null : double.Parse(t.ControlRisk, System.Globalization.CultureInfo.InvariantCulture))
            && Flag("higherIsBetter") == (t.HigherIsBetter ?? false);
    }

    private static async Task<ItemResult> CorrectAsync(HttpClient http, string review, CorrectionRequest c, CancellationToken ct)
    {
        var body = new { data = c.Data, attributes = c.Attributes.Count > 0 ? c.Attributes : null, reason = c.Reason, source = c.Source };
        var key = $"import/{review}/correction/{c.Trial}/{Hash(JsonSerializer.Serialize(body, Json))}";
        using var current = await http.GetAsync($"reviews/{review}/trials/{c.Trial}", ct);
        if (!current.IsSuccessStatusCode)
            return ItemResult.Failed($"trial {c.Trial}: {(int)current.StatusCode}");
        var trial = await current.Content.ReadFromJsonAsync<JsonElement>(ct);
        var applied = true;
        foreach (var (outcome, field, old) in c.Expected)
        {
            var value = trial.GetProperty("data").TryGetProperty(outcome, out var columns) && columns.TryGetProperty(field, out var v) ? v.GetDouble() : (double?)null;
            applied &= value == c.Data[outcome][field];
            if (old is not null && value != old && value != c.Data[outcome][field])
                return ItemResult.Failed($"{c.Trial} {outcome}.{field} is {value?.ToString() ?? "absent"}, not {old} as the correction expects");
        }
        // Every field already holds its new value: the correction was applied before (perhaps under another key).
        if (applied)
            return ItemResult.Present;
        return await PostAsync(http, $"reviews/{review}/trials/{c.Trial}/corrections", body, key, current.Headers.ETag?.Tag, ct);
    }

    private static async Task<ItemResult> PostAsync(HttpClient http, string path, object body, string key, string? ifMatch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", key);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
            return response.Headers.Contains("Idempotency-Replayed") ? ItemResult.Present : ItemResult.Created;
        if (response.StatusCode == HttpStatusCode.Conflict)
            return ItemResult.Present;
        return ItemResult.Failed($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    public sealed record ItemResult(string Kind, string? Error = null)
    {
        public static readonly ItemResult Created = new("created");
        public static readonly ItemResult Present = new("already there");

        public static ItemResult Failed(string error) => new("failed", error);
    }

    /// <summary>What happened to each item of an import: created, already there, or failed (with why).</summary>
    public sealed class Tally
    {
        private readonly List<(string Group, ItemResult Result, string? Item)> results = [];

        public IReadOnlyList<(string Group, ItemResult Result, string? Item)> Results => results;

        public bool Failed => results.Any(r => r.Result.Error is not null);

        public void Count(string group, ItemResult result, string? item = null) => results.Add((group, result, item));

        public void Print(TextWriter output)
        {
            foreach (var group in results.GroupBy(r => r.Group))
                output.WriteLine($"{group.Key,-12} {string.Join(", ", group.GroupBy(r => r.Result.Kind).Select(k => $"{k.Count()} {k.Key}"))}");
            foreach (var (group, result, item) in results.Where(r => r.Result.Error is not null))
                output.WriteLine($"failed: {group} {item}: {result.Error}");
        }
    }
}
