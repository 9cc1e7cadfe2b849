namespace Evidence.Domain.Judgement;

/// <summary>
/// One end of a number needed to treat's CI: the NNT at one bound of the risk difference's CI,
/// 1 / |bound|, to benefit or to harm by the bound's side of 0.
/// </summary>
/// <param name="Kind"><c>benefit</c>, <c>harm</c>, or <c>none</c> when the bound is exactly 0 (the NNT is infinite).</param>
/// <param name="Value">1 / |bound|, unrounded; null for <c>none</c>.</param>
public sealed record NntBound(string Kind, double? Value);

/// <summary>
/// A number needed to treat, as a GRADE summary-of-findings row shows it: 1 / |risk difference|,
/// one to benefit (NNTB) when the risk difference favours the patient (fewer events, or more where
/// <see cref="DecisionThresholds.HigherIsBetter"/>) and one to harm (NNTH) otherwise. Its CI comes
/// from the risk difference's CI bound by bound. Where that CI spans 0, Altman's (1998) convention:
/// the CI runs from the NNTH of one bound through infinity to the NNTB of the other.
/// <see cref="Text"/> rounds each NNT up to whole patients: <c>NNTB 8 (NNTB 4 to 40)</c>,
/// <c>NNTH 13 (NNTH 6 to 50)</c>, <c>NNTB 8 (NNTH 40 to ∞ to NNTB 4)</c>; a bound exactly at 0 is
/// the infinite end itself (<c>NNTB 8 (∞ to NNTB 4)</c>), a risk difference of exactly 0 is <c>NNT ∞</c>.
/// </summary>
/// <param name="Kind"><c>benefit</c>, <c>harm</c>, or <c>none</c> when the risk difference is 0.</param>
/// <param name="Value">1 / |risk difference|, unrounded; null for <c>none</c>.</param>
/// <param name="Lower">The NNT at the lower bound of the risk difference's CI.</param>
/// <param name="Upper">The NNT at the upper bound of the risk difference's CI.</param>
/// <param name="SpansNull">The risk difference's CI includes 0 (the NNT's CI then passes through infinity).</param>
/// <param name="Text">The whole row in words.</param>
public sealed record NumberNeededToTreat(string Kind, double? Value, NntBound Lower, NntBound Upper, bool SpansNull, string Text);

/// <summary>
/// A binary outcome's pooled effect in absolute terms, for one control risk: the risk with the
/// intervention, and the risk difference per 1,000 people with its CI, from the pooled ratio and its
/// CI (RR: CR·RR; OR: CR·OR / (1 - CR + CR·OR)); for RD, the pooled difference itself. Per 1,000
/// is 1000·(risk with the intervention - CR), at the estimate and at each bound of the CI.
/// </summary>
/// <param name="ControlRisk">The risk without the intervention that the numbers assume.</param>
/// <param name="ControlRiskSource"><c>assumed</c> (given with the thresholds), <c>pooled</c> (from the trials' control groups) or <c>none</c> for RD.</param>
/// <param name="InterventionRisk">
/// The risk with the intervention at the pooled estimate; null for RD. For RR, CR·RR can exceed 1
/// (a large ratio on a high control risk); the risk is then capped at 1, at the estimate and at the CI's bounds.
/// </param>
/// <param name="PerThousand">The risk difference per 1,000 people (intervention minus control).</param>
/// <param name="PerThousandLower">The lower bound of its CI.</param>
/// <param name="PerThousandUpper">The upper bound of its CI.</param>
/// <param name="Nnt">The number needed to treat.</param>
public sealed record AbsoluteEffect(
    double? ControlRisk, string ControlRiskSource, double? InterventionRisk,
    double PerThousand, double PerThousandLower, double PerThousandUpper, NumberNeededToTreat Nnt);
