namespace Evidence.Contracts;

/// <summary>
/// Published after a new pooled-estimate snapshot of an outcome is stored, for any system that
/// follows the review. Numbers are on the analysis scale (log scale for ratios); the natural-scale
/// values are given where the measure has a back-transformation. A version whose data give no
/// estimate says so with <see cref="Estimable"/> false, its numbers null.
/// </summary>
public sealed record EstimateChanged
{
    public string ReviewId { get; init; } = "";
    public string OutcomeId { get; init; } = "";
    public long Version { get; init; }
    public Guid CauseEventId { get; init; }
    public string CauseType { get; init; } = "";
    public long CauseSequence { get; init; }
    public string? TrialId { get; init; }
    public string By { get; init; } = "";
    public DateTimeOffset At { get; init; }
    public string? Reason { get; init; }
    public int K { get; init; }
    public bool Estimable { get; init; } = true;
    public double? Estimate { get; init; }
    public double? CiLower { get; init; }
    public double? CiUpper { get; init; }
    public double? Tau2 { get; init; }
    public double? I2 { get; init; }
    public double? NaturalEstimate { get; init; }
    public double? NaturalCiLower { get; init; }
    public double? NaturalCiUpper { get; init; }
    public bool SignificanceFlipped { get; init; }
    public bool DirectionFlipped { get; init; }
    public bool CiNowExcludesNull { get; init; }
    public bool CiNowIncludesNull { get; init; }
    public bool LargeRelativeChange { get; init; }

    /// <summary>The signal rules that fired against the version before (none for a first version).</summary>
    public IReadOnlyList<EstimateSignal> Signals { get; init; } = [];
}

/// <summary>
/// One rule that fired: its kind (<c>significance</c>, <c>ciNull</c>, <c>trialStatus</c>, ...), a
/// sentence, the values before and after (natural scale for estimates and intervals), and the
/// threshold or trial it is about.
/// </summary>
public sealed record EstimateSignal
{
    public string Kind { get; init; } = "";
    public string Text { get; init; } = "";
    public IReadOnlyDictionary<string, double?> Before { get; init; } = new Dictionary<string, double?>();
    public IReadOnlyDictionary<string, double?> After { get; init; } = new Dictionary<string, double?>();
    public string? Threshold { get; init; }
    public string? TrialId { get; init; }
}
