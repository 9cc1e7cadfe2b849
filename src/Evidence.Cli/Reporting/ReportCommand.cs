using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Evidence.Cli.Analyzing;
using Evidence.Cli.Common;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Evidence.Cli.Reporting;

/// <summary>The options of <c>evidence report</c>.</summary>
public sealed class ReportSettings : ApiSettings
{
    [CommandOption("--out <DIR>")]
    [Description("Folder for the plots and bundles; defaults to .local/plots/<review>")]
    public string? Out { get; set; }

    [CommandOption("--timeout <SECONDS>")]
    [Description("How long to wait for the worker to catch up with the review's events")]
    [DefaultValue(120.0)]
    public double Timeout { get; set; } = 120;
}

/// <summary>
/// <c>evidence report</c>: once the worker has caught up, prints each outcome's snapshot history (with
/// the trial sequential analysis line of each version that has one) and what the last correction changed (with the signals it raised and each event's share of the move),
/// and saves the forest, cumulative and history plots (and the TSA plot where the latest version has
/// a sequential section) and the reproducibility bundle of each outcome's latest version.
/// </summary>
public sealed class ReportCommand(Terminal terminal) : AsyncCommand<ReportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ReportSettings args, CancellationToken cancellationToken)
    {
        var folder = Path.GetFullPath(args.Out ?? Path.Combine(".local", "plots", args.Review));
        using var http = args.Connect(TimeSpan.FromSeconds(60));
        await ReportAsync(http, args.Review, folder, TimeSpan.FromSeconds(args.Timeout), terminal.Output, cancellationToken);
        return 0;
    }

    /// <summary>Waits until the worker has caught up with the review, then prints every outcome's history and saves its plots and its latest version's bundle in <paramref name="folder"/>.</summary>
    public static async Task ReportAsync(HttpClient http, string review, string folder, TimeSpan timeout, TextWriter output, CancellationToken ct)
    {
        var client = new ApiClient(http);
        await client.WaitUntilCaughtUpAsync(review, timeout, ct);
        Directory.CreateDirectory(folder);

        var reviewJson = await client.GetAsync($"reviews/{review}", ct);
        output.WriteLine($"{reviewJson.GetProperty("title").GetString()} ({review})");
        string? lastOutcome = null;
        foreach (var outcome in reviewJson.GetProperty("outcomes").EnumerateArray())
        {
            var id = outcome.GetProperty("id").GetString()!;
            var versions = await client.GetAsync($"reviews/{review}/outcomes/{id}/snapshots", ct);
            output.WriteLine();
            output.WriteLine($"{outcome.GetProperty("name").GetString()}  [{id}: {outcome.GetProperty("measure").GetString()}, {outcome.GetProperty("method").GetString()}, {outcome.GetProperty("test").GetString()}]");
            if (versions.GetArrayLength() == 0)
            {
                output.WriteLine("  no data yet");
                continue;
            }
            var history = TableReport.Table("v", "cause", "k", "estimate [95% CI]", "tau²", "I²");
            history.Columns[1].LeftAligned();
            history.Columns[3].LeftAligned();
            foreach (var v in versions.EnumerateArray())
                history.AddRow(TableReport.Cells(Row(v)));
            Terminal.Console(output).Write(history);
            await Sequential(client, output, review, id, versions, ct);

            var last = versions[versions.GetArrayLength() - 1];
            var lastVersion = last.GetProperty("version").GetInt64();
            if (last.GetProperty("cause").GetProperty("type").GetString() == "TrialCorrected" && lastVersion > 1)
                await Changes(client, output, review, id, lastVersion, ct);
            var latest = await client.GetAsync($"reviews/{review}/outcomes/{id}/snapshots/{lastVersion}", ct);
            if (latest.TryGetProperty("absolute", out var absolute))
                Absolute(absolute, lastVersion, output);
            var plots = new List<string> { $"snapshots/{lastVersion}/forest", $"snapshots/{lastVersion}/cumulative", "history" };
            if (latest.TryGetProperty("sequential", out var sequential) && sequential.ValueKind == JsonValueKind.Object)
                plots.Add($"snapshots/{lastVersion}/tsa");
            foreach (var plot in plots)
            {
                foreach (var format in new[] { "svg", "png" })
                {
                    var bytes = await client.BytesAsync($"reviews/{review}/outcomes/{id}/{plot}.{format}", ct);
                    await File.WriteAllBytesAsync(Path.Combine(folder, $"{id}-{Path.GetFileName(plot)}.{format}"), bytes, ct);
                }
            }
            var bundle = await client.BytesAsync($"reviews/{review}/outcomes/{id}/snapshots/{lastVersion}/bundle.zip", ct);
            await File.WriteAllBytesAsync(Path.Combine(folder, Bundle(id)), bundle, ct);
            lastOutcome = id;
        }
        output.WriteLine();
        output.WriteLine($"plots: {folder}");
        if (lastOutcome is not null)
            output.WriteLine($"bundles of the latest versions (<outcome>-bundle.zip); to re-run one in R: cd {folder} && Rscript -e 'unzip(\"{Bundle(lastOutcome)}\", exdir = \"{lastOutcome}\")' && cd {lastOutcome} && Rscript analysis.R");
    }

    /// <summary>The file name of an outcome's bundle in the report's folder.</summary>
    public static string Bundle(string outcome) => $"{outcome}-bundle.zip";

    private static async Task Changes(ApiClient client, TextWriter output, string review, string outcome, long version, CancellationToken ct)
    {
        var changes = await client.GetAsync($"reviews/{review}/outcomes/{outcome}/changes?from={version - 1}&to={version}", ct);
        var diff = changes.GetProperty("diff");
        output.WriteLine($"  what v{version} changed:");
        foreach (var e in changes.GetProperty("events").EnumerateArray())
        {
            var trial = e.TryGetProperty("trialId", out var t) && t.GetString() is { } id ? " " + id : "";
            var reason = e.TryGetProperty("reason", out var r) ? $": {r.GetString()}" : "";
            output.WriteLine($"    {e.GetProperty("type").GetString()}{trial} by {e.GetProperty("by").GetString()}{reason}");
        }
        foreach (var trial in diff.GetProperty("trialsChanged").EnumerateArray())
        {
            var fields = trial.GetProperty("fields").EnumerateArray().Where(f => f.GetProperty("field").GetString()!.StartsWith("data.", StringComparison.Ordinal));
            output.WriteLine($"    {trial.GetProperty("trialId").GetString()}: {string.Join(", ", fields.Select(f => $"{f.GetProperty("field").GetString()![5..]} {f.GetProperty("from")} -> {f.GetProperty("to")}"))}");
        }
        var estimate = diff.GetProperty("estimate");
        output.WriteLine($"    estimate {N(estimate.GetProperty("from"))} -> {N(estimate.GetProperty("to"))} (analysis scale)");
        var flags = diff.GetProperty("flags").EnumerateObject().Where(f => f.Value.GetBoolean()).Select(f => f.Name).ToList();
        output.WriteLine($"    flags: {(flags.Count == 0 ? "none" : string.Join(", ", flags))}");

        var snapshot = await client.GetAsync($"reviews/{review}/outcomes/{outcome}/snapshots/{version}", ct);
        var signals = snapshot.TryGetProperty("signals", out var s) && s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [];
        output.WriteLine($"    signals:{(signals.Count == 0 ? " none" : "")}");
        foreach (var signal in signals)
            output.WriteLine($"      {signal.GetProperty("text").GetString()}");
        Attribution(changes, output);
    }

    /// <summary>The sequential line of every version that has a sequential section, under a heading that says what it is.</summary>
    private static async Task Sequential(ApiClient client, TextWriter output, string review, string outcome, JsonElement versions, CancellationToken ct)
    {
        var heading = false;
        foreach (var v in versions.EnumerateArray())
        {
            var version = v.GetProperty("version").GetInt64();
            var snapshot = await client.GetAsync($"reviews/{review}/outcomes/{outcome}/snapshots/{version}", ct);
            if (!snapshot.TryGetProperty("sequential", out var section) || section.ValueKind != JsonValueKind.Object)
                continue;
            if (!heading)
                output.WriteLine("  trial sequential analysis (a sensitivity analysis):");
            heading = true;
            output.WriteLine($"  {("v" + version.ToString(CultureInfo.InvariantCulture)).PadRight(4)}{SequentialLine(section)}");
        }
    }

    /// <summary>
    /// A version's sequential section in one line, from its last look (the version itself): participants
    /// of the adjusted RIS and how it was adjusted, the information fraction, Z, the boundary and the
    /// look's type, whether it crossed, and the alpha spent. E.g.
    /// <c>TSA: 412 of 1,032 participants (RIS, D² 0.31) = 40%; Z 2.41, boundary 3.62 (interim), not crossed; alpha spent 0.0021</c>.
    /// </summary>
    public static string SequentialLine(JsonElement section)
    {
        var looks = section.GetProperty("looks");
        var ris = section.GetProperty("risAdjusted").GetDouble();
        var note = section.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
        if (!(ris > 0))
            return $"TSA: no required information size{(note is null ? "" : $" ({note})")}";
        var adjustment = section.GetProperty("settings").GetProperty("heterogeneity").GetString()!.ToUpperInvariant() switch
        {
            "D2" => $"D² {Fixed(section.GetProperty("heterogeneityFraction").GetDouble(), 2)}",
            "I2" => $"I² {Fixed(section.GetProperty("heterogeneityFraction").GetDouble(), 2)}",
            "NONE" => "no heterogeneity adjustment",
            _ => $"heterogeneity {Fixed(section.GetProperty("heterogeneityFraction").GetDouble(), 2)} given",
        };
        var head = $"TSA: {Count(section.GetProperty("participants").GetDouble())} of {Count(ris)} participants (RIS, {adjustment})";
        if (looks.GetArrayLength() == 0)
            return $"{head}; no look yet{(note is null ? "" : $" ({note})")}";
        var look = looks[looks.GetArrayLength() - 1];
        var t = look.GetProperty("t").GetDouble();
        var boundary = look.TryGetProperty("boundary", out var b) && b.ValueKind == JsonValueKind.Number
            ? $"boundary {Fixed(b.GetDouble(), 2)} ({look.GetProperty("lookType").GetString()}), {(look.GetProperty("crossed").GetBoolean() ? "crossed" : "not crossed")}"
            : "no boundary at this look";
        return $"{head} = {(t * 100).ToString("0", CultureInfo.InvariantCulture)}%; Z {Fixed(look.GetProperty("z").GetDouble(), 2)}, {boundary}; " +
            $"alpha spent {Alpha(look.GetProperty("alphaSpent").GetDouble())}{(note is null ? "" : $" ({note})")}";
    }

    private static string Count(double n) => n.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Fixed(double x, int decimals) => x.ToString("F" + decimals, CultureInfo.InvariantCulture);

    /// <summary>Alpha spent to four decimals; the tiny amounts of the first O'Brien-Fleming looks in scientific notation rather than as 0.0000.</summary>
    private static string Alpha(double a) =>
        a == 0 || a >= 0.0001 ? a.ToString("0.0000", CultureInfo.InvariantCulture) : a.ToString("0.0E+0", CultureInfo.InvariantCulture);

    /// <summary>The version's absolute effect as a summary-of-findings row: per 1,000 with its CI, and the number needed to treat.</summary>
    private static void Absolute(JsonElement absolute, long version, TextWriter output)
    {
        static string PerThousand(double value) =>
            $"{Math.Abs(value).ToString("0", CultureInfo.InvariantCulture)} {(value < 0 ? "fewer" : "more")}";
        var risk = absolute.TryGetProperty("controlRisk", out var r) && r.ValueKind == JsonValueKind.Number
            ? $", control risk {(r.GetDouble() * 1000).ToString("0", CultureInfo.InvariantCulture)} per 1,000 ({absolute.GetProperty("controlRiskSource").GetString()})"
            : "";
        output.WriteLine($"  absolute effect at v{version}{risk}: {PerThousand(absolute.GetProperty("perThousand").GetDouble())} per 1,000 " +
            $"({PerThousand(absolute.GetProperty("perThousandLower").GetDouble())} to {PerThousand(absolute.GetProperty("perThousandUpper").GetDouble())}); " +
            absolute.GetProperty("nnt").GetProperty("text").GetString());
    }

    /// <summary>Each event's contribution to the move (analysis scale), or why there is none.</summary>
    private static void Attribution(JsonElement changes, TextWriter output)
    {
        if (!changes.TryGetProperty("attribution", out var attribution) || attribution.ValueKind != JsonValueKind.Object)
        {
            output.WriteLine($"    attribution: {(changes.TryGetProperty("attributionOmitted", out var why) ? why.GetString() : "none")}");
            return;
        }
        output.WriteLine("    attribution (analysis scale):");
        foreach (var e in attribution.GetProperty("events").EnumerateArray())
        {
            var cause = e.GetProperty("cause");
            var trial = cause.TryGetProperty("trialId", out var t) && t.GetString() is { } id ? id + " " : "";
            var contribution = e.GetProperty("contribution");
            output.WriteLine($"      {trial}{cause.GetProperty("type").GetString()}: estimate {Signed(contribution.GetProperty("estimate"))}, " +
                $"CI width {Signed(contribution.GetProperty("ciWidth"))}, tau² {Signed(contribution.GetProperty("tau2"))}");
        }
        if (attribution.GetProperty("eventsWithoutChange").GetInt32() is > 0 and var unchanged)
            output.WriteLine($"      {unchanged} other event{(unchanged == 1 ? "" : "s")} left the inputs as they were");
        if (attribution.TryGetProperty("note", out var note))
            output.WriteLine($"      {note.GetString()}");
    }

    /// <summary>A snapshot version's cells: its number, what caused it, k, the estimate with its interval, tau² and I².</summary>
    private static string[] Row(JsonElement v)
    {
        var cause = v.GetProperty("cause");
        var summary = v.GetProperty("summary");
        var text = cause.TryGetProperty("batch", out var batch) && batch.ValueKind == JsonValueKind.Object
            ? $"Recorded {batch.GetProperty("trials").GetInt32()} trial{(batch.GetProperty("trials").GetInt32() == 1 ? "" : "s")}"
            : $"{cause.GetProperty("type").GetString()!.Replace("Trial", "", StringComparison.Ordinal)} {(cause.TryGetProperty("trialId", out var t) ? t.GetString() : "")}";
        var natural = summary.TryGetProperty("naturalEstimate", out var ne);
        var (e, lo, hi) = natural
            ? (ne, summary.GetProperty("naturalCiLower"), summary.GetProperty("naturalCiUpper"))
            : (Get(summary, "estimate"), Get(summary, "ciLower"), Get(summary, "ciUpper"));
        return
        [
            v.GetProperty("version").GetInt64().ToString(CultureInfo.InvariantCulture), text.TrimEnd(),
            summary.GetProperty("k").GetInt32().ToString(CultureInfo.InvariantCulture), $"{N(e)} [{N(lo)}, {N(hi)}]",
            N(Get(summary, "tau2")), N(Get(summary, "i2")),
        ];
    }

    private static string Signed(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString("+0.000;-0.000;0.000", CultureInfo.InvariantCulture) : "NA";

    private static JsonElement Get(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v : default;

    private static string N(JsonElement e) =>
        e.ValueKind == JsonValueKind.Number ? e.GetDouble().ToString(Math.Abs(e.GetDouble()) >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture) : "NA";
}
