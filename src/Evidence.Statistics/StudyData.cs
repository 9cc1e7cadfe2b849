namespace Evidence.Statistics;

/// <summary>
/// One study as the analysis reads it: its label, its numbers in metafor's column names
/// (<c>ai bi ci di</c>; <c>m1i sd1i n1i m2i sd2i n2i</c>; <c>m_pre sd_pre m_post sd_post ni ri</c>;
/// <c>xi ni</c>; <c>yi vi</c> or <c>yi sei</c>), and labels used as subgroup, order or moderator.
/// </summary>
public sealed record StudyData(string Study, IReadOnlyDictionary<string, double> Values, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>A study with numbers only.</summary>
    public StudyData(string study, IReadOnlyDictionary<string, double> values)
        : this(study, values, new Dictionary<string, string>())
    {
    }
}

/// <summary>A study's data cannot give an effect size; names the study and the field.</summary>
public sealed class EffectSizeException(string study, string field, string message)
    : ArgumentException($"Study '{study}', field '{field}': {message}")
{
    public string Study { get; } = study;

    public string Field { get; } = field;
}
