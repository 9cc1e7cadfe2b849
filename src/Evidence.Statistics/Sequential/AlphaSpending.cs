using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Sequential;

/// <summary>
/// Lan-DeMets (1983) alpha-spending functions, two-sided and symmetric (alpha/2 per side), as the
/// total over both sides, at the information fraction t* = min(t, 1):
/// <list type="bullet">
/// <item>O'Brien-Fleming type: a*(t) = 4 (1 - Φ(Φ⁻¹(1 - alpha/4) / √t*)), each side spending alpha/2
/// along the one-sided function 2 - 2Φ(Φ⁻¹(1 - α₁/2)/√t) at α₁ = alpha/2 (as gsDesign's <c>sfLDOF</c>
/// does); this reproduces the published boundaries 4.877 3.357 2.680 2.290 2.031 (Jennison and
/// Turnbull 2000) at five equally spaced looks.</item>
/// <item>Pocock type: a*(t) = alpha · ln(1 + (e - 1) t*).</item>
/// </list>
/// a*(0) = 0 and a*(t) = alpha for t ≥ 1. Tails are computed as Φ(-x), never as 1 - Φ(x), so
/// spending as small as 1e-250 keeps its relative precision.
/// </summary>
public static class AlphaSpending
{
    /// <summary>The alpha spent by information fraction <paramref name="t"/> (not capped; capped here at 1).</summary>
    public static double Spent(SpendingFunction spending, double alpha, double t)
    {
        var capped = Math.Min(t, 1);
        if (capped <= 0)
            return 0;
        if (capped >= 1)
            return alpha;
        return spending switch
        {
            SpendingFunction.OBrienFleming => 4 * Distributions.NormalUpper(Distributions.NormalUpperQuantile(alpha / 4) / Math.Sqrt(capped)),
            SpendingFunction.Pocock => alpha * Math.Log(1 + (Math.E - 1) * capped),
            _ => throw new ArgumentOutOfRangeException(nameof(spending), spending, "unknown spending function"),
        };
    }
}
