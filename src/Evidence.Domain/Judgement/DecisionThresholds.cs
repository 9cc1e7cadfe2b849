using Evidence.Statistics;

namespace Evidence.Domain.Judgement;

/// <summary>
/// What a guideline panel judges an outcome's estimate against, on the natural scale (a risk ratio,
/// a mean difference): the value of no effect, and optional decision thresholds (minimal important
/// differences) below and above it. For binary outcomes the assumed risk of the control group turns
/// a relative effect into an absolute one (<see cref="AbsoluteEffect"/>).
/// </summary>
/// <param name="Null">The value of no effect; null takes the measure's (<see cref="MeasureDefinition.NullValue"/>: 1 for a ratio, 0 otherwise).</param>
/// <param name="Lower">A decision threshold below the null, if any.</param>
/// <param name="Upper">A decision threshold above the null, if any.</param>
/// <param name="ControlRisk">The assumed risk of the event without the intervention, a proportion in (0, 1); null when none is assumed.</param>
/// <param name="PooledControlRisk">
/// Take the control risk from the outcome's own trials instead: the events of their control groups
/// over their participants (Σcᵢ / Σ(cᵢ + dᵢ)), as of each version.
/// </param>
/// <param name="HigherIsBetter">
/// Whether more of the outcome is good for the patient (remission, response). False for harms
/// (adverse events, relapse): then fewer events, or a lower value, is a benefit. Decides whether a
/// number needed to treat is one to benefit or to harm.
/// </param>
public sealed record DecisionThresholds(
    double? Null = null, double? Lower = null, double? Upper = null,
    double? ControlRisk = null, bool PooledControlRisk = false, bool HigherIsBetter = false)
{
    /// <summary>No thresholds, no control risk: the measure's null only.</summary>
    public static readonly DecisionThresholds None = new();

    /// <summary>The same thresholds with the null filled in from <paramref name="measure"/> where none was set.</summary>
    public DecisionThresholds Resolve(MeasureDefinition measure) => this with { Null = Null ?? measure.NullValue };

    /// <summary>The thresholds that are set, by name: <c>null</c>, <c>lower</c>, <c>upper</c>.</summary>
    public IEnumerable<(string Name, double Value)> Lines()
    {
        if (Null is { } none)
            yield return ("null", none);
        if (Lower is { } lower)
            yield return ("lower", lower);
        if (Upper is { } upper)
            yield return ("upper", upper);
    }
}
