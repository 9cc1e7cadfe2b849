using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Evidence.Cli.Importing.RevMan;

/// <summary>
/// A RevMan outcome as an Evidence outcome, with its RevMan origin for the comparison of results;
/// <paramref name="SameMethod"/> is false when Evidence pools it otherwise than RevMan did (then its
/// stored result is not compared).
/// </summary>
public sealed record MappedOutcome(OutcomeRequest Request, RevManOutcome Source, bool SameMethod = true);

/// <summary>What an import posts: outcomes, trials, and what could not be mapped.</summary>
public sealed record RevManImport(IReadOnlyList<MappedOutcome> Outcomes, IReadOnlyList<TrialRequest> Trials, IReadOnlyList<RevManProblem> Problems);

/// <summary>
/// Maps a <see cref="RevManReview"/> onto Evidence's outcomes and trials, all pooled under the
/// <c>revman5</c> conventions:
/// <list type="bullet">
/// <item>Each comparison × outcome is the outcome <c>c{comparison}-o{outcome}</c>, named
/// "{comparison}.{outcome} {name}". DICH → binary (ai = events₁, bi = total₁ - events₁, ci, di; swapped
/// when RevMan swaps events); CONT → continuous (m1i sd1i n1i m2i sd2i n2i); IV (generic inverse
/// variance) → generic (yi = the effect, its natural log for a ratio measure; vi = SE²).</item>
/// <item>Measure OR, RR, RD, MD, SMD as named; Peto's OR → PETO. Method MH → MH (fixed) or DL
/// (random: RevMan's "M-H, random effects"); IV → FE or DL; PETO → PETO.</item>
/// <item>Each study is the trial named after it (as a slug); its year is the study's year (rm5: its
/// <c>YEAR</c>, its reference's, or one in its id), or the first year in its name, or 1900 when there is
/// none (reported).</item>
/// <item>An outcome with subgroups has the subgroup attribute <c>subgroup-c{c}-o{o}</c>; each trial
/// holds its subgroup's name there.</item>
/// </list>
/// Not mapped (reported): O-E and variance (IPD) and OTHER outcomes; measures Evidence has not
/// (hazard ratios entered as generic data are pooled as generic log effects); random-effects Peto;
/// inverse-variance random effects on 2x2 data (pooled as RevMan's M-H random effects, whose Q is
/// centred on the MH estimate). A study's row in a second subgroup of one outcome becomes a trial of
/// its own, "{study} [{subgroup}]" (reported), since RevMan pools every row.
/// </summary>
public static partial class RevManMapping
{
    public const string Conventions = "revman5";

    /// <summary>The year given to a trial whose study gives none.</summary>
    public const int UnknownYear = 1900;

    public static RevManImport Map(RevManReview review)
    {
        var problems = review.Problems.ToList();
        var outcomes = new List<MappedOutcome>();
        var trials = new Dictionary<string, TrialRequest>(StringComparer.Ordinal);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var outcome in review.Outcomes)
        {
            var where = $"outcome {outcome.Label} ({outcome.Name})";
            if (Plan(outcome, where, problems) is not { } plan)
                continue;
            var id = OutcomeId(outcome);
            var subgroup = outcome.Rows.Any(r => r.Subgroup is not null) ? $"subgroup-{id}" : null;
            var name = Truncate($"{outcome.Label} {outcome.Name}".Trim(), 200);
            outcomes.Add(new MappedOutcome(new OutcomeRequest(id, name, plan.DataType, plan.Measure, plan.Method, "z", subgroup, null, Conventions), outcome, plan.SameMethod));
            foreach (var row in outcome.Rows)
            {
                var trial = Trial(row, row.Study, review.Source, trials, names, problems);
                if (trial.Data.ContainsKey(id))
                {
                    // RevMan pools each row (a study in two subgroups counts twice overall); a trial gives one row per outcome.
                    var label = $"{row.Study} [{row.Subgroup ?? "row 2"}]";
                    if (row.Subgroup is null || Trial(row, label, review.Source, trials, names, problems) is not { } own || own.Data.ContainsKey(id))
                    {
                        problems.Add(new($"{where}, study {row.Study}", "a second data row outside any other subgroup; left out"));
                        continue;
                    }
                    problems.Add(new($"{where}, study {row.Study}", $"a second data row (subgroup {row.Subgroup}); recorded as the trial '{own.Id}' of its own, as RevMan pools each row"));
                    trial = own;
                }
                if (Data(outcome, row, plan, $"{where}, study {row.Study}", problems) is not { } data)
                    continue;
                trial.Data[id] = data;
                if (subgroup is not null && row.Subgroup is not null)
                    trial.Attributes[subgroup] = Truncate(row.Subgroup, 200);
            }
        }
        return new RevManImport(outcomes, trials.Values.OrderBy(t => t.Year).ThenBy(t => t.Id, StringComparer.Ordinal).ToList(), problems);
    }

    /// <summary>The trial of <paramref name="label"/> (a study, or a study's row in a further subgroup), made on first sight.</summary>
    private static TrialRequest Trial(RevManRow row, string label, string source, Dictionary<string, TrialRequest> trials, Dictionary<string, string> names, List<RevManProblem> problems)
    {
        var trialId = TrialId(label, names);
        if (trials.TryGetValue(trialId, out var trial))
            return trial;
        var year = row.Year ?? RevMan5File.Year(row.Study);
        if (year is null)
            problems.Add(new($"study {label}", $"no year in the file; recorded as {UnknownYear}"));
        trial = new TrialRequest(trialId, year ?? UnknownYear, Truncate($"{label} ({source})", 200),
            new Dictionary<string, string>(StringComparer.Ordinal) { ["revman-study"] = Truncate(row.Study, 200) },
            new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal));
        trials[trialId] = trial;
        return trial;
    }

    /// <summary>The outcome's id: <c>c1-o2</c> for outcome 2 of comparison 1.</summary>
    public static string OutcomeId(RevManOutcome outcome) => $"c{outcome.Comparison}-o{outcome.Number}";

    private sealed record MappedPlan(string DataType, string Measure, string Method, bool SameMethod = true);

    private static MappedPlan? Plan(RevManOutcome outcome, string where, List<RevManProblem> problems)
    {
        var random = outcome.Random;
        switch (outcome.Type)
        {
            case "DICH":
            {
                var measure = outcome.Measure switch
                {
                    "OR" or "RR" or "RD" => outcome.Measure,
                    "PETO_OR" => "PETO",
                    _ => null,
                };
                if (measure is null)
                {
                    problems.Add(new(where, $"dichotomous measure '{outcome.Measure}' is not one Evidence pools; left out"));
                    return null;
                }
                var method = (outcome.Method, measure) switch
                {
                    (_, "PETO") or ("PETO", _) => "PETO",
                    ("MH", _) => random ? "DL" : "MH",
                    _ => random ? "DL" : "FE",
                };
                if (method == "PETO")
                {
                    measure = "PETO";
                    if (random)
                        problems.Add(new(where, "Peto's method with random effects; pooled with Peto's fixed-effect method"));
                }
                if (outcome.Method == "IV" && random)
                    problems.Add(new(where, "inverse-variance random effects on 2x2 data; pooled as RevMan's M-H random effects (Q centred on the MH estimate), so tau² may differ slightly"));
                return new MappedPlan("binary", measure, method, !(random && (method == "PETO" || outcome.Method == "IV")));
            }
            case "CONT":
            {
                if (outcome.Measure is not ("MD" or "SMD"))
                {
                    problems.Add(new(where, $"continuous measure '{outcome.Measure}' is not one Evidence pools; left out"));
                    return null;
                }
                return new MappedPlan("continuous", outcome.Measure, random ? "DL" : "FE");
            }
            case "IV":
                if (outcome.Method == "PETO")
                    problems.Add(new(where, "generic data pooled with Peto's method; pooled with inverse-variance weights"));
                return new MappedPlan("generic", "GEN", random ? "DL" : "FE", outcome.Method != "PETO");
            default:
                problems.Add(new(where, $"data type {outcome.Type} (O-E and variance, or text only) is not one Evidence pools; left out"));
                return null;
        }
    }

    private static Dictionary<string, double>? Data(RevManOutcome outcome, RevManRow row, MappedPlan plan, string where, List<RevManProblem> problems)
    {
        double? Get(string key) => row.Values.TryGetValue(key, out var v) && double.IsFinite(v) ? v : null;
        switch (plan.DataType)
        {
            case "binary" when Get("events1") is { } e1 && Get("total1") is { } t1 && Get("events2") is { } e2 && Get("total2") is { } t2:
                return outcome.SwapEvents
                    ? new() { ["ai"] = t1 - e1, ["bi"] = e1, ["ci"] = t2 - e2, ["di"] = e2 }
                    : new() { ["ai"] = e1, ["bi"] = t1 - e1, ["ci"] = e2, ["di"] = t2 - e2 };
            case "continuous" when Get("mean1") is { } m1 && Get("sd1") is { } s1 && Get("total1") is { } n1 && Get("mean2") is { } m2 && Get("sd2") is { } s2 && Get("total2") is { } n2:
                return new() { ["m1i"] = m1, ["sd1i"] = s1, ["n1i"] = n1, ["m2i"] = m2, ["sd2i"] = s2, ["n2i"] = n2 };
            case "generic" when Get("effect") is { } effect && Get("se") is { } se && se > 0:
                if (RevManMeasures.IsRatio(outcome.Measure) && !outcome.LogScale)
                {
                    if (effect <= 0)
                    {
                        problems.Add(new(where, $"ratio {effect} is not positive; left out"));
                        return null;
                    }
                    effect = Math.Log(effect);
                }
                return new() { ["yi"] = effect, ["vi"] = se * se };
            default:
                problems.Add(new(where, $"the row lacks the numbers of {plan.DataType} data; left out"));
                return null;
        }
    }

    /// <summary>A trial id from a study's name: a slug (lower-case letters, digits, single hyphens), made unique with a number.</summary>
    public static string TrialId(string study, Dictionary<string, string> taken)
    {
        var slug = Slug(study);
        foreach (var (name, id) in taken)
        {
            if (name == study)
                return id;
        }
        var candidate = slug;
        for (var n = 2; taken.ContainsValue(candidate); n++)
            candidate = $"{slug[..Math.Min(slug.Length, 60)]}-{n}";
        taken[study] = candidate;
        return candidate;
    }

    private static string Slug(string text)
    {
        var ascii = new string(text.Normalize(NormalizationForm.FormD).Where(c => c < 128).ToArray()).ToLower(CultureInfo.InvariantCulture);
        var slug = NotSlug().Replace(ascii, "-").Trim('-');
        slug = slug.Length > 56 ? slug[..56].TrimEnd('-') : slug;
        return slug.Length > 0 ? slug : "study";
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [GeneratedRegex("[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
