namespace Evidence.Domain.Judgement;

/// <summary>
/// A number needed to treat, as a GRADE summary-of-findings row shows it: 1 / |risk difference|,
/// one to benefit (NNTB) or to harm (NNTH) as <see cref="DecisionThresholds.HigherIsBetter"/> says.
/// Where the risk difference's CI spans 0, Altman's (1998) convention: the CI runs from the NNTB of
/// one bound through infinity to the NNTH of the other. <see cref="Text"/> rounds up to whole
/// patients, e.g. <c>NNTB 8 (NNTH 40 to ∞ to NNTB 4)</c>.
/// </summary>
/// <param name="Kind"><c>benefit</c>, <c>harm</c>, or <c>none</c> when the risk difference is 0.</param>
/// <param name="Value">1 / |risk difference|, unrounded; null for <c>none</c>.</param>
/// <param name="BenefitBound">The CI's bound on the benefit side, as an NNTB; null when the CI has none.</param>
/// <param name="HarmBound">The CI's bound on the harm side, as an NNTH; null when the CI has none.</param>
/// <param name="SpansNull">The risk difference's CI includes 0 (the CI then passes through infinity).</param>
/// <param name="Text">The whole row in words.</param>
public sealed record NumberNeededToTreat(string Kind, double? Value, double? BenefitBound, double? HarmBound, bool SpansNull, string Text);

/// <summary>
/// A binary outcome's pooled effect in absolute terms, for one control risk: the risk with the
/// intervention, and the risk difference per 1,000 people with its CI, from the pooled ratio and its
/// CI (RR: CR·RR; OR: CR·OR / (1 - CR + CR·OR)); for RD, the pooled difference itself.
/// </summary>
/// <param name="ControlRisk">The risk without the intervention that the numbers assume.</param>
/// <param name="ControlRiskSource"><c>assumed</c> (given with the thresholds), <c>pooled</c> (from the trials' control groups) or <c>none</c> for RD.</param>
/// <param name="InterventionRisk">The risk with the intervention at the pooled estimate; null for RD.</param>
/// <param name="PerThousand">The risk difference per 1,000 people (intervention minus control).</param>
/// <param name="PerThousandLower">The lower bound of its CI.</param>
/// <param name="PerThousandUpper">The upper bound of its CI.</param>
/// <param name="Nnt">The number needed to treat.</param>
public sealed record AbsoluteEffect(
    double? ControlRisk, string ControlRiskSource, double? InterventionRisk,
    double PerThousand, double PerThousandLower, double PerThousandUpper, NumberNeededToTreat Nnt);
