using System.Globalization;
using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Sequential;

public static partial class TrialSequentialAnalysis
{
    /// <summary>
    /// The unadjusted required information size of <paramref name="design"/>, in participants
    /// (Wetterslev et al. 2008), with z_a = Φ⁻¹(1 - alpha/2) and z_b = Φ⁻¹(1 - beta):
    /// binary (control risk pc, relative risk reduction rrr, pe = pc (1 - rrr), the same for RR, OR
    /// and RD): 4 (z_a + z_b)² p̄ (1 - p̄) / (pc - pe)² with p̄ = (pc + pe)/2; continuous (mean
    /// difference delta, standard deviation sd): 4 (z_a + z_b)² sd² / delta². Nothing is rounded.
    /// </summary>
    /// <exception cref="ArgumentException">The design is not valid (see <see cref="Problems"/>); names the parameter.</exception>
    public static double RequiredInformationSize(SequentialDesign design)
    {
        Validate(design);
        var za = Distributions.NormalUpperQuantile(design.Alpha / 2);
        var zb = Distributions.NormalUpperQuantile(design.Beta);
        var z2 = (za + zb) * (za + zb);
        if (IsBinary(design))
        {
            var pc = design.ControlRisk!.Value;
            var pe = pc * (1 - design.RelativeRiskReduction!.Value);
            var mean = (pc + pe) / 2;
            return 4 * z2 * mean * (1 - mean) / ((pc - pe) * (pc - pe));
        }
        var sd = design.StandardDeviation!.Value;
        var delta = design.MeanDifference!.Value;
        return 4 * z2 * sd * sd / (delta * delta);
    }

    /// <summary>
    /// What is wrong with <paramref name="design"/>, each problem with the parameter it concerns (the
    /// reference's names: alpha, beta, pc, rrr, delta, sd, heterogeneity); empty when it is valid.
    /// alpha and beta lie in (0, 1); the effect is either binary (pc in (0, 1); rrr finite, not 0,
    /// below 1, with pe = pc (1 - rrr) below 1) or continuous (delta finite and not 0; sd finite and
    /// above 0), not both; a heterogeneity fraction lies in [0, 1).
    /// </summary>
    public static IReadOnlyList<(string Parameter, string Problem)> Problems(SequentialDesign design)
    {
        var problems = new List<(string, string)>();
        void Check(bool ok, string parameter, string problem)
        {
            if (!ok)
                problems.Add((parameter, problem));
        }
        Check(design.Alpha is > 0 and < 1, "alpha", $"alpha must be between 0 and 1 (exclusive), not {Show(design.Alpha)}");
        Check(design.Beta is > 0 and < 1, "beta", $"beta must be between 0 and 1 (exclusive), not {Show(design.Beta)}");
        var binary = design.ControlRisk is not null || design.RelativeRiskReduction is not null;
        var continuous = design.MeanDifference is not null || design.StandardDeviation is not null;
        if (binary && continuous)
            problems.Add(("pc", "give either pc and rrr (binary) or delta and sd (continuous), not both"));
        else if (binary)
        {
            Check(design.ControlRisk is > 0 and < 1, "pc", $"pc (the control-group risk) must be between 0 and 1 (exclusive), not {Show(design.ControlRisk)}");
            var rrr = design.RelativeRiskReduction;
            Check(rrr is { } r && double.IsFinite(r) && r != 0 && r < 1, "rrr", $"rrr (the relative risk reduction) must be below 1 and not 0, not {Show(rrr)}");
            if (design.ControlRisk is > 0 and < 1 && rrr is { } reduction && double.IsFinite(reduction) && reduction < 0)
                Check(design.ControlRisk.Value * (1 - reduction) < 1, "rrr", $"rrr {Show(reduction)} gives an experimental-group risk pc (1 - rrr) of 1 or more");
        }
        else if (continuous)
        {
            Check(design.MeanDifference is { } d && double.IsFinite(d) && d != 0, "delta", $"delta (the mean difference) must be a number other than 0, not {Show(design.MeanDifference)}");
            Check(design.StandardDeviation is { } s && double.IsFinite(s) && s > 0, "sd", $"sd (the standard deviation) must be above 0, not {Show(design.StandardDeviation)}");
        }
        else
            problems.Add(("pc", "give pc and rrr (binary) or delta and sd (continuous)"));
        if (design.Heterogeneity is null)
            problems.Add(("heterogeneity", "heterogeneity must be D2, I2, none or a fraction"));
        else if (design.Heterogeneity.Kind == HeterogeneityKind.Fraction)
            Check(design.Heterogeneity.Fraction is >= 0 and < 1, "heterogeneity", $"a heterogeneity fraction must be at least 0 and below 1, not {Show(design.Heterogeneity.Fraction)}");
        Check(Enum.IsDefined(design.Spending), "spending", $"spending must be OBF or Pocock, not {design.Spending}");
        return problems;
    }

    /// <summary>Throws the first of <see cref="Problems"/> as an <see cref="ArgumentException"/> naming its parameter.</summary>
    public static void Validate(SequentialDesign design)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (Problems(design) is [var (parameter, problem), ..])
            throw new ArgumentException(problem, parameter);
    }

    /// <summary>
    /// The fraction H that <paramref name="adjustment"/> takes from <paramref name="heterogeneity"/>:
    /// D², I², the given fraction, or 0 for none. The adjusted RIS is RIS / (1 - H).
    /// </summary>
    public static double Fraction(HeterogeneityAdjustment adjustment, SequentialHeterogeneity heterogeneity) => adjustment.Kind switch
    {
        HeterogeneityKind.D2 => heterogeneity.D2,
        HeterogeneityKind.I2 => heterogeneity.I2,
        HeterogeneityKind.None => 0,
        HeterogeneityKind.Fraction => adjustment.Fraction is >= 0 and < 1
            ? adjustment.Fraction.Value
            : throw new ArgumentException($"a heterogeneity fraction must be at least 0 and below 1, not {Show(adjustment.Fraction)}", "heterogeneity"),
        _ => throw new ArgumentException($"unknown heterogeneity adjustment {adjustment.Kind}", "heterogeneity"),
    };

    private static bool IsBinary(SequentialDesign design) => design.ControlRisk is not null || design.RelativeRiskReduction is not null;

    private static string Show(double? value) => value is { } v ? v.ToString("R", CultureInfo.InvariantCulture) : "missing";
}
