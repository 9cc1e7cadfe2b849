using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evidence.Cli.Common;

namespace Evidence.Cli.Importing;

/// <summary>
/// <c>evidence import</c>: posts a review's outcomes, trials (in year order) and corrections through
/// the API. Every request carries a stable idempotency key, so a rerun appends nothing.
/// </summary>
public static class ImportCommand
{
    public const string Usage = "evidence import --api URL --review ID --outcomes outcomes.csv --trials trials.csv [--corrections corrections.csv] [--title T] [--question Q] [--key API_KEY]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };

    public static async Task<int> RunAsync(Arguments args, TextWriter output, TextWriter progress, CancellationToken ct)
    {
        var review = args.Required("review");
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(args.Required("outcomes")));
        var trials = ReviewFiles.Trials(CsvTable.Read(args.Required("trials")));
        var corrections = args.Optional("corrections") is { } path ? ReviewFiles.Corrections(CsvTable.Read(path)) : [];
        var title = args.Optional("title") ?? review;
        var question = args.Optional("question") ?? $"Imported review {review}";
        using var http = ApiConnection.Create(args, TimeSpan.FromSeconds(60));
        args.EnsureAllUsed();

        var tally = await ImportAsync(http, review, title, question, outcomes, trials, corrections, progress, ct);
        tally.Print(output);
        return tally.Failed ? 1 : 0;
    }

    /// <summary>Posts the review, its outcomes, its trials in year order and its corrections; reports what happened to each.</summary>
    public static async Task<Tally> ImportAsync(
        HttpClient http, string review, string title, string question,
        IReadOnlyList<OutcomeRequest> outcomes, IReadOnlyList<TrialRequest> trials, IReadOnlyList<CorrectionRequest> corrections,
        TextWriter progress, CancellationToken ct)
    {
        var tally = new Tally();
        var total = 1 + outcomes.Count + trials.Count + corrections.Count;
        var bar = new ProgressBar(progress, total);

        if ((await http.GetAsync($"reviews/{review}", ct)).StatusCode == HttpStatusCode.NotFound)
            tally.Count("review", await PostAsync(http, "reviews", new { id = review, title, question }, $"import/{review}/review", null, ct));
        else
            tally.Count("review", Outcome.Present);
        bar.Step();

        foreach (var o in outcomes)
        {
            tally.Count("outcomes", await PostAsync(http, $"reviews/{review}/outcomes", o, $"import/{review}/outcome/{o.Id}", null, ct), o.Id);
            bar.Step();
        }
        foreach (var t in trials)
        {
            var body = new { id = t.Id, year = t.Year, source = t.Source, attributes = t.Attributes, data = t.Data };
            tally.Count("trials", await PostAsync(http, $"reviews/{review}/trials", body, $"import/{review}/trial/{t.Id}", null, ct), t.Id);
            bar.Step();
        }
        foreach (var c in corrections)
        {
            tally.Count("corrections", await CorrectAsync(http, review, c, ct), c.Trial);
            bar.Step();
        }
        bar.Done();
        return tally;
    }

    private static async Task<Outcome> CorrectAsync(HttpClient http, string review, CorrectionRequest c, CancellationToken ct)
    {
        var body = new { data = c.Data, attributes = c.Attributes.Count > 0 ? c.Attributes : null, reason = c.Reason, source = c.Source };
        var key = $"import/{review}/correction/{c.Trial}/{Hash(JsonSerializer.Serialize(body, Json))}";
        using var current = await http.GetAsync($"reviews/{review}/trials/{c.Trial}", ct);
        if (!current.IsSuccessStatusCode)
            return Outcome.Failed($"trial {c.Trial}: {(int)current.StatusCode}");
        var trial = await current.Content.ReadFromJsonAsync<JsonElement>(ct);
        var applied = true;
        foreach (var (outcome, field, old) in c.Expected)
        {
            var value = trial.GetProperty("data").TryGetProperty(outcome, out var columns) && columns.TryGetProperty(field, out var v) ? v.GetDouble() : (double?)null;
            applied &= value == c.Data[outcome][field];
            if (old is not null && value != old && value != c.Data[outcome][field])
                return Outcome.Failed($"{c.Trial} {outcome}.{field} is {value?.ToString() ?? "absent"}, not {old} as the correction expects");
        }
        // Every field already holds its new value: the correction was applied before (perhaps under another key).
        if (applied)
            return Outcome.Present;
        return await PostAsync(http, $"reviews/{review}/trials/{c.Trial}/corrections", body, key, current.Headers.ETag?.Tag, ct);
    }

    private static async Task<Outcome> PostAsync(HttpClient http, string path, object body, string key, string? ifMatch, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", key);
        if (ifMatch is not null)
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        using var response = await http.SendAsync(request, ct);
        if (response.IsSuccessStatusCode)
            return response.Headers.Contains("Idempotency-Replayed") ? Outcome.Present : Outcome.Created;
        if (response.StatusCode == HttpStatusCode.Conflict)
            return Outcome.Present;
        return Outcome.Failed($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];

    public sealed record Outcome(string Kind, string? Error = null)
    {
        public static readonly Outcome Created = new("created");
        public static readonly Outcome Present = new("already there");

        public static Outcome Failed(string error) => new("failed", error);
    }

    /// <summary>What happened to each item of an import: created, already there, or failed (with why).</summary>
    public sealed class Tally
    {
        private readonly List<(string Group, Outcome Outcome, string? Item)> results = [];

        public IReadOnlyList<(string Group, Outcome Outcome, string? Item)> Results => results;

        public bool Failed => results.Any(r => r.Outcome.Error is not null);

        public void Count(string group, Outcome outcome, string? item = null) => results.Add((group, outcome, item));

        public void Print(TextWriter output)
        {
            foreach (var group in results.GroupBy(r => r.Group))
                output.WriteLine($"{group.Key,-12} {string.Join(", ", group.GroupBy(r => r.Outcome.Kind).Select(k => $"{k.Count()} {k.Key}"))}");
            foreach (var (group, outcome, item) in results.Where(r => r.Outcome.Error is not null))
                output.WriteLine($"failed: {group} {item}: {outcome.Error}");
        }
    }
}
