using System.Text.Json;
using System.Text.Json.Nodes;

namespace Evidence.Statistics.Analyses;

/// <summary>
/// Writes an <see cref="AnalysisResult"/> as JSON with the keys, nesting and units of the reference
/// results (metafor's names in snake case; I² and weights in percent). Fields that do not apply are
/// left out (no tau² CI for a common-effect fit, no back-transformation for differences); a value that
/// does not exist where the field applies is null (the prediction interval at k = 1); non-finite
/// numbers are written as null. A result without an estimate says <c>"estimable": false</c> with the
/// <c>reason</c> and the studies <c>involved</c>; an estimable one carries no such key.
/// </summary>
public static class AnalysisJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    public static string Serialize(AnalysisResult result) => ToJson(result).ToJsonString(Options);

    public static JsonObject ToJson(AnalysisResult result)
    {
        if (result.Regression is { } regression)
            return Regression(regression);
        var json = result.Overall is { } overall ? Fit(overall, result.Settings) : new JsonObject { ["k"] = result.StudyCount };
        if (result.NotEstimable is { } why)
        {
            json["estimable"] = false;
            json["reason"] = why.Reason;
            json["involved"] = Array(why.Studies.Select(s => (JsonNode)JsonValue.Create(s)!));
        }
        if (result.Studies.Count > 0)
            json["studies"] = Array(result.Studies.Select(s => new JsonObject
            {
                ["study"] = s.Study, ["yi"] = N(s.Yi), ["vi"] = N(s.Vi), ["weight"] = N(s.Weight),
            }));
        if (result.Subgroups is { } subgroups)
        {
            json["subgroups"] = new JsonObject
            {
                ["variable"] = subgroups.Variable,
                ["groups"] = Array(subgroups.Groups.Select(g =>
                {
                    var group = Fit(g.Fit, result.Settings);
                    group["level"] = g.Level;
                    return group;
                })),
                ["q_between"] = N(subgroups.QBetween),
                ["q_between_df"] = subgroups.QBetweenDf,
                ["q_between_p"] = N(subgroups.QBetweenP),
            };
        }
        if (result.Cumulative is { } cumulative)
            json["cumulative"] = Array(cumulative.Select(step => Step("study", step, includeQ: false)));
        if (result.LeaveOneOut is { } leaveOneOut)
            json["leave_one_out"] = Array(leaveOneOut.Select(step => Step("omitted", step, includeQ: true)));
        if (result.Egger is { } egger)
            json["egger"] = new JsonObject
            {
                ["statistic"] = N(egger.Statistic), ["df"] = egger.Df, ["p"] = N(egger.P), ["limit_estimate"] = N(egger.LimitEstimate),
            };
        if (result.Warnings.Count > 0)
            json["warnings"] = Array(result.Warnings.Select(w => (JsonNode)JsonValue.Create(w)!));
        return json;
    }

    private static JsonObject Fit(Pooled f, AnalysisSettings settings)
    {
        var json = new JsonObject
        {
            ["k"] = f.K,
            ["estimate"] = N(f.Estimate),
            ["se"] = N(f.Se),
            ["ci_lower"] = N(f.CiLower),
            ["ci_upper"] = N(f.CiUpper),
            ["statistic"] = N(f.Statistic),
        };
        if (!f.FromCounts)
            json["df"] = f.Df is { } df ? df : null;
        json["p"] = N(f.P);
        if (!f.FromCounts)
            json["tau2"] = N(f.Tau2);
        json["i2"] = N(f.I2);
        json["h2"] = N(f.H2);
        json["q"] = N(f.Q);
        json["q_df"] = f.QDf;
        json["q_p"] = N(f.QP);
        if (f.Tau2CiLower is not null || f.Tau2CiUpper is not null)
        {
            json["tau2_ci_lower"] = N(f.Tau2CiLower);
            json["tau2_ci_upper"] = N(f.Tau2CiUpper);
        }
        if (f.PiLower is not null)
        {
            json["pi_lower"] = N(f.PiLower);
            json["pi_upper"] = N(f.PiUpper);
        }
        if (f.Natural is { } natural)
        {
            var back = new JsonObject
            {
                ["estimate"] = N(natural.Estimate), ["ci_lower"] = N(natural.CiLower), ["ci_upper"] = N(natural.CiUpper),
            };
            if (!f.FromCounts)
            {
                back["pi_lower"] = N(natural.PiLower);
                back["pi_upper"] = N(natural.PiUpper);
            }
            json["back_transformed"] = back;
        }
        if (!f.Converged)
            json["method_used"] = f.Method.ToString();
        _ = settings;
        return json;
    }

    private static JsonObject Step(string label, StudyStep step, bool includeQ)
    {
        var f = step.Fit;
        var json = new JsonObject { [label] = step.Study };
        if (!includeQ)
            json["k"] = f.K;
        json["estimate"] = N(f.Estimate);
        json["se"] = N(f.Se);
        json["ci_lower"] = N(f.CiLower);
        json["ci_upper"] = N(f.CiUpper);
        json["p"] = N(f.P);
        // A common-effect step has no tau² at all (metafor reports NA), unlike the overall fit's 0.
        json["tau2"] = f.Method == Method.FE ? null : N(f.Tau2);
        json["i2"] = N(f.I2);
        if (includeQ)
            json["q"] = N(f.Q);
        return json;
    }

    private static JsonObject Regression(MetaRegression r) => new()
    {
        ["k"] = r.K,
        ["coefficients"] = Array(r.Coefficients.Select(c => new JsonObject
        {
            ["name"] = c.Name,
            ["estimate"] = N(c.Coefficient.Estimate),
            ["se"] = N(c.Coefficient.Se),
            ["statistic"] = N(c.Coefficient.Statistic),
            ["p"] = N(c.Coefficient.P),
            ["ci_lower"] = N(c.Coefficient.CiLower),
            ["ci_upper"] = N(c.Coefficient.CiUpper),
        })),
        ["tau2"] = N(r.Tau2),
        ["i2"] = N(r.I2),
        ["r2"] = N(r.R2),
        ["qm"] = N(r.QM),
        ["qm_df"] = r.QMDf,
        ["qm_p"] = N(r.QMP),
        ["qe"] = N(r.QE),
        ["qe_df"] = r.QEDf,
        ["qe_p"] = N(r.QEP),
    };

    private static JsonArray Array(IEnumerable<JsonNode> items) => new([.. items]);

    private static JsonNode? N(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
