using System.Globalization;
using System.Text.Json;

namespace Evidence.Cli.Importing.RevMan;

/// <summary>A number RevMan stored that Evidence's snapshot does not reproduce to the stored precision.</summary>
public sealed record RevManDifference(string Outcome, string Field, double Stored, double? Computed)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Outcome} {Field}: RevMan {Stored:R}, Evidence {(Computed is { } c ? c.ToString("R", CultureInfo.InvariantCulture) : "none")}");
}

/// <summary>
/// Compares an outcome's snapshot result (the analysis JSON) with the pooled result RevMan stored:
/// estimate and CI (natural scale for ratios), tau² (random effects), Q, its df and p, I², |Z| and
/// its p; per subgroup the same; the test for subgroup differences. Agreement is to the file's
/// printed precision (<see cref="RevManPrecision"/>), except the p-values, for which RevMan 5's
/// chi-square and normal tails are approximations good to about 1e-7 (to 1e-6 here).
/// </summary>
public static class RevManComparison
{
    private const double TailApproximation = 1e-6;

    public static List<RevManDifference> Compare(MappedOutcome outcome, JsonElement result, RevManPrecision precision)
    {
        var differences = new List<RevManDifference>();
        var label = outcome.Source.Label;
        var ratio = RevManMeasures.IsRatio(outcome.Source.Measure);
        if (outcome.Source.Pooled is { } stored)
            Fit(differences, label, stored, result, ratio, outcome.Source.Random, precision);
        if (result.TryGetProperty("subgroups", out var subgroups))
        {
            var groups = subgroups.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("level").GetString() ?? "", StringComparer.Ordinal);
            foreach (var subgroup in outcome.Source.Subgroups.Where(s => s.Pooled is not null))
            {
                if (groups.TryGetValue(subgroup.Name, out var group))
                    Fit(differences, $"{label} subgroup {subgroup.Name}", subgroup.Pooled!, group, ratio, outcome.Source.Random, precision);
                else
                    differences.Add(new($"{label} subgroup {subgroup.Name}", "estimate", subgroup.Pooled!.Estimate, null));
            }
            if (outcome.Source.SubgroupTest is { } test)
                Check(differences, label, "subgroup Q", test.Q, Number(subgroups, "q_between"), precision);
        }
        return differences;
    }

    private static void Fit(List<RevManDifference> differences, string label, RevManPooled stored, JsonElement fit, bool ratio, bool random, RevManPrecision precision)
    {
        double? Natural(string field)
        {
            if (Number(fit, field) is not { } value)
                return null;
            return ratio ? Math.Exp(value) : value;
        }
        Check(differences, label, "estimate", stored.Estimate, Natural("estimate"), precision);
        Check(differences, label, "CI lower", stored.CiLower, Natural("ci_lower"), precision);
        Check(differences, label, "CI upper", stored.CiUpper, Natural("ci_upper"), precision);
        if (random && stored.Tau2 is { } tau2 && double.IsFinite(tau2))
            Check(differences, label, "tau²", tau2, Number(fit, "tau2"), precision);
        if (stored.Df is { } df && df > 0)
        {
            if (stored.Q is { } q)
                Check(differences, label, "Q", q, Number(fit, "q"), precision);
            if (Number(fit, "q_df") is { } qdf && (int)qdf != df)
                differences.Add(new(label, "df", df, qdf));
            if (stored.QP is { } qp)
                Check(differences, label, "p of Q", qp, Number(fit, "q_p"), precision with { Relative = Math.Max(precision.Relative, TailApproximation) }, absolute: precision.Decimals is null ? TailApproximation : null);
            if (stored.I2 is { } i2)
                Check(differences, label, "I²", i2, Number(fit, "i2"), precision);
        }
        if (stored.Z is { } z)
            Check(differences, label, "Z", Math.Abs(z), Number(fit, "statistic") is { } s ? Math.Abs(s) : null, precision);
        if (stored.P is { } p)
            Check(differences, label, "p", p, Number(fit, "p"), precision with { Relative = Math.Max(precision.Relative, TailApproximation) }, absolute: precision.Decimals is null ? TailApproximation : null);
    }

    private static void Check(List<RevManDifference> differences, string label, string field, double stored, double? computed, RevManPrecision precision, double? absolute = null)
    {
        if (!double.IsFinite(stored))
            return;
        var agrees = computed is { } c && (precision.Agrees(stored, c) || (absolute is { } a && Math.Abs(stored - c) <= a));
        if (!agrees)
            differences.Add(new(label, field, stored, computed));
    }

    private static double? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;
}
