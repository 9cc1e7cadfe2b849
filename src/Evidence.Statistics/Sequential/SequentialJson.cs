using System.Text.Json;
using System.Text.Json.Nodes;

namespace Evidence.Statistics.Sequential;

/// <summary>
/// Writes a trial sequential analysis with the keys and shape of the TSA reference's
/// <c>expected</c>: snake-case keys, <c>look_type</c> as <c>none</c>, <c>interim</c>, <c>final</c>
/// or <c>post_final</c>, null where a look has no boundary (boundary, CI), and for RR and OR a
/// <c>back_transformed</c> object with exp of the estimate and of the CI. Non-finite numbers are null.
/// </summary>
public static class SequentialJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };

    /// <summary>The name of a look type in the reference: none, interim, final, post_final.</summary>
    public static string Name(LookType type) => type switch
    {
        LookType.Interim => "interim",
        LookType.Final => "final",
        LookType.PostFinal => "post_final",
        _ => "none",
    };

    public static string Serialize(SequentialResult result, Measure measure) => ToJson(result, measure).ToJsonString(Options);

    public static string Serialize(BoundarySet set) => ToJson(set).ToJsonString(Options);

    public static JsonObject ToJson(SequentialResult result, Measure measure)
    {
        var definition = MeasureCatalogue.Of(measure);
        return new JsonObject
        {
            ["ris"] = N(result.Ris),
            ["ris_adjusted"] = N(result.RisAdjusted),
            ["d2"] = N(result.D2),
            ["i2"] = N(result.I2),
            ["tau2"] = N(result.Tau2),
            ["heterogeneity_fraction"] = N(result.HeterogeneityFraction),
            ["participants"] = N(result.Participants),
            ["ris_reached"] = result.RisReached,
            ["looks"] = new JsonArray(result.Looks.Select(look => (JsonNode)Look(look, definition)).ToArray()),
        };
    }

    public static JsonObject ToJson(BoundarySet set) => new()
    {
        ["boundaries"] = new JsonArray(set.Boundaries.Select(N).ToArray()),
        ["alpha_spent"] = new JsonArray(set.AlphaSpent.Select(a => N(a)).ToArray()),
        ["look_types"] = new JsonArray(set.LookTypes.Select(t => (JsonNode)JsonValue.Create(Name(t))).ToArray()),
    };

    private static JsonObject Look(SequentialLook look, MeasureDefinition measure)
    {
        var json = new JsonObject
        {
            ["study"] = look.Label,
            ["k"] = look.K,
            ["participants"] = N(look.Participants),
            ["t"] = N(look.T),
            ["estimate"] = N(look.Estimate),
            ["se"] = N(look.Se),
            ["tau2"] = N(look.Tau2),
            ["z"] = N(look.Z),
            ["look_type"] = Name(look.LookType),
            ["boundary"] = N(look.Boundary),
            ["crossed"] = look.Crossed,
            ["alpha_spent"] = N(look.AlphaSpent),
            ["ci_lower"] = N(look.CiLower),
            ["ci_upper"] = N(look.CiUpper),
        };
        if (measure.Transform is { } transform)
            json["back_transformed"] = new JsonObject
            {
                ["estimate"] = N(transform.ToNatural(look.Estimate, 0)),
                ["ci_lower"] = N(look.CiLower is { } lower ? transform.ToNatural(lower, 0) : null),
                ["ci_upper"] = N(look.CiUpper is { } upper ? transform.ToNatural(upper, 0) : null),
            };
        return json;
    }

    private static JsonNode? N(double? value) => value is { } v && double.IsFinite(v) ? JsonValue.Create(v) : null;
}
