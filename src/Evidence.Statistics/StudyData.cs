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

/// <summary>
/// A study's data cannot give an effect size; names the study and the field. <see cref="Degenerate"/>
/// tells valid data that happens to give no finite effect (a change-score SD of zero under SMCC) from
/// data the measure can never use (a negative count, a non-positive mean under ROM): the first is an
/// outcome that is not estimable for now, the second is input to reject.
/// </summary>
public sealed class EffectSizeException(string study, string field, string message, bool degenerate = false)
    : ArgumentException($"Study '{study}', field '{field}': {message}")
{
    public string Study { get; } = study;

    public string Field { get; } = field;

    /// <summary>The bare reason, without the study and field.</summary>
    public string Reason { get; } = message;

    /// <summary>True for valid data that gives no finite effect size; false for data the measure can never use.</summary>
    public bool Degenerate { get; } = degenerate;
}
