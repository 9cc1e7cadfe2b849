using Evidence.Domain.Validation;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Domain.Outcomes;

/// <summary>
/// How an outcome is pooled, as its events state it: effect measure, method (a tau² estimator, FE,
/// or MH/PETO for 2x2 data), test (z or Knapp-Hartung), optional subgroup attribute and the attribute
/// that orders the cumulative analysis (the trial year unless given), and the convention preset
/// (<c>metafor</c>, or <c>revman5</c> for RevMan 5's own pooling; events written before presets
/// existed read back as <c>metafor</c>). The names are kept as the strings the events hold
/// (<c>"ROM"</c>, <c>"MH"</c>, <c>"knha"</c>, <c>"revman5"</c>); <see cref="MeasureCatalogue"/>
/// defines them, and <see cref="ToSettings"/> is where they become the engine's.
/// </summary>
public sealed record AnalysisPlan(string Measure, string Method, string Test, string? Subgroup, string Order, string Conventions = AnalysisPlan.DefaultConventions)
{
    public const string DefaultOrder = "year";

    /// <summary>The preset of an outcome that names none: metafor's conventions.</summary>
    public const string DefaultConventions = "metafor";

    /// <summary>Whether the plan follows the default conventions, so its canonical form (and hash) is as it was before presets.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasDefaultConventions => Conventions is null or DefaultConventions;

    /// <summary>
    /// The engine's settings for this plan; the studies carry their subgroup under the subgroup
    /// attribute's own name, so the result names it as it is. No cumulative order: an outcome's
    /// inputs come in that order. The plan must be valid (<see cref="Validate"/>).
    /// </summary>
    public AnalysisSettings ToSettings() => new(
        MeasureCatalogue.ParseMeasure(Measure).Measure,
        MeasureCatalogue.ParseMethod(Method).Method,
        MeasureCatalogue.FindTest(Test) ?? Statistics.Test.Z,
        Subgroup)
    {
        Conventions = MeasureCatalogue.FindConventions(Conventions) ?? Statistics.Conventions.Metafor,
    };

    /// <summary>
    /// Checks the settings against the outcome's data type and the catalogue; errors go under
    /// <paramref name="prefix"/>. A count method (MH, PETO) names the measures it pools; a measure that
    /// is a count method's own effect (PETO) is pooled with that method. The revman5 preset pools
    /// with FE, DL, MH or PETO and the z test.
    /// </summary>
    public static void Validate(FieldErrors errors, string prefix, DataType type, string? measure, string? method, string? test, string? subgroup, string? order, string? conventions = null)
    {
        var preset = conventions is null ? Statistics.Conventions.Metafor : MeasureCatalogue.FindConventions(conventions);
        if (preset is null)
            errors.Add(prefix + "conventions", $"must be {MeasureCatalogue.Either(MeasureCatalogue.ConventionNames.Select(c => $"'{c.Name}'"))}.");
        else if (preset == Statistics.Conventions.RevMan5 && MeasureCatalogue.FindMethod(method) is { } chosen && !MeasureCatalogue.RevMan5Methods.Contains(chosen.Method))
            errors.Add(prefix + "conventions", $"revman5 pools with {MeasureCatalogue.Either(MeasureCatalogue.RevMan5Methods.Select(m => m.ToString()))}, not {method}.");
        else if (preset == Statistics.Conventions.RevMan5 && test is not null && MeasureCatalogue.FindTest(test) is Statistics.Test.Knha)
            errors.Add(prefix + "conventions", "revman5 uses the z test, not the Knapp-Hartung test.");

        var definition = MeasureCatalogue.FindMeasure(measure);
        var suits = definition is not null && definition.DataType == type;
        if (string.IsNullOrEmpty(measure))
            errors.Add(prefix + "measure", "is required.");
        else if (!suits)
            errors.Add(prefix + "measure", $"'{measure}' does not suit {type.Name} data; use one of {string.Join(", ", type.Measures)}.");

        var pooling = MeasureCatalogue.FindMethod(method);
        if (string.IsNullOrEmpty(method))
            errors.Add(prefix + "method", "is required.");
        else if (pooling is null)
            errors.Add(prefix + "method", $"must be one of {string.Join(", ", MeasureCatalogue.Methods)}.");
        else if (suits ? !definition!.Methods.Contains(pooling.Method) : pooling.PoolsCounts)
            errors.Add(prefix + "method", $"{method} needs {string.Join(" or ", pooling.Measures.Select(m => m.DataType).Distinct())} data with measure {pooling.MeasureNames}.");
        else if (definition?.OwnMethod is { } own && own != pooling.Method)
            errors.Add(prefix + "method", $"measure {measure} is pooled with method {own}.");

        if (test is not null && MeasureCatalogue.FindTest(test) is null)
            errors.Add(prefix + "test", $"must be {MeasureCatalogue.Either(MeasureCatalogue.Tests.Select(t => $"'{t.Name}'"))}.");
        else if (test is not null && MeasureCatalogue.FindTest(test) == Statistics.Test.Knha && pooling is { PoolsCounts: true })
            errors.Add(prefix + "test", $"the Knapp-Hartung test does not apply to {method}, which pools the raw counts.");

        if (subgroup is not null)
            AttributeName(errors, prefix + "subgroup", subgroup);
        if (order is not null)
            AttributeName(errors, prefix + "order", order);
    }

    private static void AttributeName(FieldErrors errors, string path, string name)
    {
        if (name.Length is 0 or > Rules.MaxIdLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
            errors.Add(path, "must name an attribute: letters, digits, '_' or '-', at most 64 characters.");
    }
}
