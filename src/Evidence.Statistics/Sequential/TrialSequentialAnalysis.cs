using Evidence.Statistics.EffectSizes;

namespace Evidence.Statistics.Sequential;

/// <summary>
/// Trial sequential analysis (Wetterslev, Thorlund, Brok and Gluud 2008; Wetterslev et al. 2009;
/// the Copenhagen Trial Unit's TSA manual, Thorlund et al. 2011): the required information size
/// adjusted for heterogeneity, the cumulative DerSimonian-Laird Z at each look, Lan-DeMets (1983)
/// alpha spending and the monitoring boundaries that go with it, found by recursive numerical
/// integration (Armitage, McPherson and Rowe 1969; Jennison and Turnbull 2000, ch. 19). Every
/// definition and convention is the one of the project's TSA reference (its rules 1-10); the
/// members below state each.
/// </summary>
public static partial class TrialSequentialAnalysis
{
    /// <summary>
    /// A whole TSA of <paramref name="trials"/> in the given order, one look per trial:
    /// <list type="number">
    /// <item>effect sizes as metafor's <c>escalc</c> (<see cref="EffectSizeCalculator.Compute"/>: 1/2
    /// added to every cell of a 2x2 table with a zero cell, double-zero tables kept; MD with
    /// v = sd1²/n1 + sd2²/n2);</item>
    /// <item>D², I² and tau² of all trials (<see cref="Heterogeneity"/>), the fraction H the design
    /// takes (<see cref="Fraction"/>), and the RIS adjusted once, RIS / (1 - H), for every look;</item>
    /// <item>look j: participants Σ_{i≤j} (n1i + n2i), a DerSimonian-Laird fit of trials 1..j
    /// (<see cref="Look"/>), monitored by <see cref="Monitor"/>.</item>
    /// </list>
    /// <c>RisReached</c> is t_K ≥ 1. <paramref name="measure"/> must be RR, OR, RD (with a binary
    /// design: control risk and relative risk reduction) or MD (with a continuous one).
    /// </summary>
    /// <exception cref="ArgumentException">A bad design (naming its parameter), a measure TSA does not
    /// define, no trials, or a trial without a usable effect size (<see cref="EffectSizeException"/>).</exception>
    public static SequentialResult Analyze(IReadOnlyList<StudyData> trials, Measure measure, SequentialDesign design)
    {
        Validate(design);
        if (measure is not (Measure.RR or Measure.OR or Measure.RD or Measure.MD))
            throw new ArgumentException($"trial sequential analysis is defined for RR, OR, RD and MD, not {measure}", nameof(measure));
        var binary = MeasureCatalogue.Of(measure).DataType == DataType.Binary;
        if (binary != IsBinary(design))
            throw binary
                ? new ArgumentException($"{measure} is binary: the design needs pc and rrr", "pc")
                : new ArgumentException($"{measure} is continuous: the design needs delta and sd", "delta");
        if (trials.Count == 0)
            throw new ArgumentException("a trial sequential analysis needs at least one trial", nameof(trials));

        var effects = trials.Select(t => EffectSizeCalculator.Compute(measure, t)).ToList();
        var yi = effects.Select(e => e.Yi).ToArray();
        var vi = effects.Select(e => e.Vi).ToArray();
        var heterogeneity = Heterogeneity(yi, vi);
        var fraction = Fraction(design.Heterogeneity, heterogeneity);
        var ris = RequiredInformationSize(design);
        var risAdjusted = ris / (1 - fraction);

        var looks = new List<LookInput>(trials.Count);
        var participants = 0.0;
        for (var j = 0; j < trials.Count; j++)
        {
            participants += Participants(trials[j], binary);
            looks.Add(Look(trials[j].Study, participants, new ArraySegment<double>(yi, 0, j + 1), new ArraySegment<double>(vi, 0, j + 1)));
        }
        var monitored = Monitor(looks, risAdjusted, design.Alpha, design.Spending);
        return new SequentialResult(
            ris, risAdjusted, heterogeneity.D2, heterogeneity.I2, heterogeneity.Tau2, fraction, participants, monitored[^1].T >= 1, monitored);
    }

    /// <summary>
    /// A trial's participants under <paramref name="measure"/> (RR, OR, RD or MD): ai + bi + ci + di
    /// for a 2x2 table (the counts as given, before any 1/2 correction), n1i + n2i for two means.
    /// </summary>
    /// <exception cref="ArgumentException">Another measure, or a count that is missing.</exception>
    public static double Participants(Measure measure, StudyData trial)
    {
        if (measure is not (Measure.RR or Measure.OR or Measure.RD or Measure.MD))
            throw new ArgumentException($"trial sequential analysis is defined for RR, OR, RD and MD, not {measure}", nameof(measure));
        return Participants(trial, MeasureCatalogue.Of(measure).DataType == DataType.Binary);
    }

    private static double Participants(StudyData trial, bool binary)
    {
        string[] columns = binary ? ["ai", "bi", "ci", "di"] : ["n1i", "n2i"];
        var sum = 0.0;
        foreach (var column in columns)
            sum += trial.Values.TryGetValue(column, out var value) ? value : throw new EffectSizeException(trial.Study, column, "is missing");
        return sum;
    }
}
