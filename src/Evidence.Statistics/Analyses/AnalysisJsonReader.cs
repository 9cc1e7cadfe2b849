using System.Text.Json;
using Evidence.Statistics.Pooling;

namespace Evidence.Statistics.Analyses;

/// <summary>
/// Reads back what <see cref="AnalysisJson"/> writes, so a stored result is used typed and never
/// indexed by key elsewhere. Writing what was read gives the same JSON: a field that was written as
/// null where it applies reads back as NaN (written as null again), a field left out as null (left
/// out again).
/// </summary>
public static class AnalysisJsonReader
{
    /// <summary>The result stored as <paramref name="json"/> by an analysis with <paramref name="settings"/>.</summary>
    public static AnalysisResult Read(JsonElement json, AnalysisSettings settings)
    {
        var warnings = json.TryGetProperty("warnings", out var w) ? w.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
        var notEstimable = json.TryGetProperty("estimable", out var estimable) && !estimable.GetBoolean()
            ? new NotEstimable(json.GetProperty("reason").GetString()!, [.. json.GetProperty("involved").EnumerateArray().Select(s => s.GetString()!)])
            : null;
        if (json.TryGetProperty("coefficients", out _))
            return new AnalysisResult(settings, null, [], null, null, null, null, Regression(json), warnings, notEstimable);

        var overall = json.TryGetProperty("estimate", out _) ? Fit(json, settings) : null;
        var studies = json.TryGetProperty("studies", out var s)
            ? s.EnumerateArray().Select(x => new StudyEffect(x.GetProperty("study").GetString()!, D(x, "yi"), D(x, "vi"), D(x, "weight"))).ToList()
            : [];
        var subgroups = json.TryGetProperty("subgroups", out var g)
            ? new SubgroupAnalysis(g.GetProperty("variable").GetString()!,
                [.. g.GetProperty("groups").EnumerateArray().Select(x => new SubgroupFit(x.GetProperty("level").GetString()!, Fit(x, settings)))],
                D(g, "q_between"), g.GetProperty("q_between_df").GetInt32(), D(g, "q_between_p"))
            : null;
        var egger = json.TryGetProperty("egger", out var e)
            ? new EggerTest(D(e, "statistic"), e.GetProperty("df").GetInt32(), D(e, "p"), D(e, "limit_estimate"))
            : null;
        return new AnalysisResult(settings, overall, studies, subgroups, Steps(json, "cumulative", "study", settings), Steps(json, "leave_one_out", "omitted", settings),
            egger, null, warnings, notEstimable) { StudyCount = overall is null ? json.GetProperty("k").GetInt32() : 0 };
    }

    private static Pooled Fit(JsonElement f, AnalysisSettings settings)
    {
        var fromCounts = settings.IsCountMethod;
        var natural = f.TryGetProperty("back_transformed", out var b)
            ? new NaturalScale(D(b, "estimate"), D(b, "ci_lower"), D(b, "ci_upper"), fromCounts ? null : Present(b, "pi_lower"), fromCounts ? null : Present(b, "pi_upper"))
            : null;
        var methodUsed = f.TryGetProperty("method_used", out var m) ? Enum.Parse<Method>(m.GetString()!) : (Method?)null;
        return new Pooled(f.GetProperty("k").GetInt32(), D(f, "estimate"), D(f, "se"), D(f, "ci_lower"), D(f, "ci_upper"), D(f, "statistic"),
            fromCounts ? null : N(f, "df"), N(f, "p"), fromCounts ? null : N(f, "tau2"), D(f, "i2"), D(f, "h2"), D(f, "q"), f.GetProperty("q_df").GetInt32(), D(f, "q_p"),
            Present(f, "tau2_ci_lower"), Present(f, "tau2_ci_upper"), Present(f, "pi_lower"), Present(f, "pi_upper"),
            natural, fromCounts, methodUsed is null, methodUsed ?? settings.Method);
    }

    /// <summary>Cumulative or leave-one-out steps: the fit's headline, as <see cref="AnalysisJson"/> writes a step.</summary>
    private static List<StudyStep>? Steps(JsonElement json, string section, string label, AnalysisSettings settings) =>
        !json.TryGetProperty(section, out var steps) ? null : steps.EnumerateArray().Select(x => new StudyStep(x.GetProperty(label).GetString()!,
            new Pooled(x.TryGetProperty("k", out var k) ? k.GetInt32() : 0, D(x, "estimate"), D(x, "se"), D(x, "ci_lower"), D(x, "ci_upper"), double.NaN, null,
                N(x, "p"), N(x, "tau2"), D(x, "i2"), double.NaN, x.TryGetProperty("q", out _) ? D(x, "q") : double.NaN, 0, double.NaN,
                null, null, null, null, null, settings.IsCountMethod, true, settings.Method))).ToList();

    private static MetaRegression Regression(JsonElement r) => new(
        r.GetProperty("k").GetInt32(),
        [.. r.GetProperty("coefficients").EnumerateArray().Select(c => new NamedCoefficient(c.GetProperty("name").GetString()!,
            new Coefficient(D(c, "estimate"), D(c, "se"), D(c, "statistic"), N(c, "p"), D(c, "ci_lower"), D(c, "ci_upper"))))],
        D(r, "tau2"), D(r, "i2"), D(r, "r2"), D(r, "qm"), r.GetProperty("qm_df").GetInt32(), D(r, "qm_p"), D(r, "qe"), r.GetProperty("qe_df").GetInt32(), D(r, "qe_p"));

    /// <summary>A number; null (written for a value that does not exist) reads as NaN.</summary>
    private static double D(JsonElement e, string name) => e.GetProperty(name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : double.NaN;

    /// <summary>A number that may be null.</summary>
    private static double? N(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    /// <summary>A field whose presence says it applies: left out reads as null, written as null reads as NaN.</summary>
    private static double? Present(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.Number ? v.GetDouble() : double.NaN : null;
}
