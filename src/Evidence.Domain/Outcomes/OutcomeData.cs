using Evidence.Domain.Validation;
using Evidence.Statistics;
using Evidence.Statistics.EffectSizes;

namespace Evidence.Domain.Outcomes;

/// <summary>
/// Checks one trial's numbers for one outcome against the outcome's data type, before anything is
/// stored, so the worker never meets data it cannot pool.
/// </summary>
public static class OutcomeData
{
    /// <summary>
    /// Adds an error for every missing, unknown or out-of-range column under <paramref name="prefix"/>,
    /// then for what the outcome's measure can never use, by the engine's own rule
    /// (<see cref="EffectSizeCalculator.Unusable"/>): a non-positive mean under ROM, for example.
    /// </summary>
    public static void Validate(FieldErrors errors, string prefix, DataType type, string measure, IReadOnlyDictionary<string, double> values)
    {
        var before = errors.Count;
        Validate(errors, prefix, type, values);
        if (errors.Count == before && Unusable(measure, "trial", values) is { } problem)
            errors.Add(prefix + problem.Field, $"{problem.Reason} ({measure}).");
    }

    /// <summary>The engine's objection to <paramref name="values"/> under <paramref name="measure"/>, if any.</summary>
    public static EffectSizeException? Unusable(string measure, string trial, IReadOnlyDictionary<string, double> values) =>
        EffectSizeCalculator.Unusable(MeasureCatalogue.ParseMeasure(measure).Measure, new StudyData(trial, values));

    /// <summary>Adds an error for every missing, unknown or out-of-range column under <paramref name="prefix"/>.</summary>
    private static void Validate(FieldErrors errors, string prefix, DataType type, IReadOnlyDictionary<string, double> values)
    {
        foreach (var column in values.Keys.Where(c => !type.Columns.Contains(c)))
            errors.Add(prefix + column, $"is not a column of {type.Name} data; expected {string.Join(", ", type.Columns)}.");
        var missing = type.Columns.Where(c => !values.ContainsKey(c)).ToList();
        foreach (var column in missing)
            errors.Add(prefix + column, "is required.");
        foreach (var (column, value) in values.Where(v => !double.IsFinite(v.Value)))
            errors.Add(prefix + column, "must be a finite number.");
        if (missing.Count > 0 || values.Values.Any(v => !double.IsFinite(v)))
            return;

        double V(string c) => values[c];
        void Count(string c, double min = 0)
        {
            if (V(c) < min || V(c) != Math.Floor(V(c)))
                errors.Add(prefix + c, min == 0 ? "must be a whole count, zero or more." : $"must be a whole number of at least {min}.");
        }
        void Positive(string c)
        {
            if (V(c) <= 0)
                errors.Add(prefix + c, "must be greater than zero.");
        }

        if (type == DataType.Binary)
        {
            foreach (var c in type.Columns)
                Count(c);
            if (V("ai") + V("bi") <= 0)
                errors.Add(prefix + "bi", "group 1 has no participants (ai + bi = 0).");
            if (V("ci") + V("di") <= 0)
                errors.Add(prefix + "di", "group 2 has no participants (ci + di = 0).");
        }
        else if (type == DataType.Continuous)
        {
            Positive("sd1i");
            Positive("sd2i");
            Count("n1i", 2);
            Count("n2i", 2);
        }
        else if (type == DataType.PrePost)
        {
            Positive("sd_pre");
            Positive("sd_post");
            Count("ni", 2);
            if (V("ri") < -1 || V("ri") > 1)
                errors.Add(prefix + "ri", "must be between -1 and 1.");
        }
        else if (type == DataType.Proportion)
        {
            Count("xi");
            Count("ni", 1);
            if (V("xi") > V("ni"))
                errors.Add(prefix + "xi", "events must not exceed the total ni.");
        }
        else if (type == DataType.Generic)
            Positive("vi");
    }
}
