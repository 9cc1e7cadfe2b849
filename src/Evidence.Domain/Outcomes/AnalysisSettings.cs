using Evidence.Domain.Validation;

namespace Evidence.Domain.Outcomes;

/// <summary>
/// How an outcome is pooled: effect measure, method (a tau² estimator, FE, or MH/PETO for 2x2 data),
/// test (z or Knapp-Hartung), optional subgroup attribute and the attribute that orders the cumulative
/// analysis (the trial year unless given).
/// </summary>
public sealed record AnalysisSettings(string Measure, string Method, string Test, string? Subgroup, string Order)
{
    public const string DefaultOrder = "year";

    /// <summary>Common effect, the tau² estimators, and the two count-based methods.</summary>
    public static readonly IReadOnlyList<string> Methods = ["FE", "DL", "REML", "PM", "ML", "HE", "SJ", "EB", "MH", "PETO"];

    public static readonly IReadOnlyList<string> Tests = ["z", "knha"];

    /// <summary>Checks the settings against the outcome's data type; errors go under <paramref name="prefix"/>.</summary>
    public static void Validate(FieldErrors errors, string prefix, DataType type, string? measure, string? method, string? test, string? subgroup, string? order)
    {
        if (string.IsNullOrEmpty(measure))
            errors.Add(prefix + "measure", "is required.");
        else if (!type.Measures.Contains(measure))
            errors.Add(prefix + "measure", $"'{measure}' does not suit {type.Name} data; use one of {string.Join(", ", type.Measures)}.");

        if (string.IsNullOrEmpty(method))
            errors.Add(prefix + "method", "is required.");
        else if (!Methods.Contains(method))
            errors.Add(prefix + "method", $"must be one of {string.Join(", ", Methods)}.");
        else if (method is "MH" && (!type.AllowsCountMethods || measure is not ("OR" or "RR" or "RD")))
            errors.Add(prefix + "method", "MH needs binary data with measure OR, RR or RD.");
        else if (method is "PETO" && (!type.AllowsCountMethods || measure is not ("OR" or "PETO")))
            errors.Add(prefix + "method", "PETO needs binary data with measure OR or PETO.");
        else if (measure is "PETO" && method is not "PETO")
            errors.Add(prefix + "method", "measure PETO is pooled with method PETO.");

        if (test is not null && !Tests.Contains(test))
            errors.Add(prefix + "test", "must be 'z' or 'knha'.");
        else if (test is "knha" && method is "MH" or "PETO")
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
