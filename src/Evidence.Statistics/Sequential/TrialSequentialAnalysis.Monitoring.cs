using System.Globalization;

namespace Evidence.Statistics.Sequential;

public static partial class TrialSequentialAnalysis
{
    /// <summary>Below this alpha spent a look gets no boundary: about 6.47, reached at t ≈ 0.116 for O'Brien-Fleming at alpha 0.05.</summary>
    public const double SmallestSpending = 1e-10;

    /// <summary>An interim look must add at least this fraction of the RIS since the last interim look.</summary>
    public const double SmallestStep = 0.01;

    /// <summary>
    /// Monitors <paramref name="looks"/>, in order, against <paramref name="risAdjusted"/>: each look's
    /// t = participants / risAdjusted (not capped) and Z = estimate / se, then the rules of
    /// <see cref="Boundaries"/> (type, alpha spent, boundary). Per look, crossed = |Z| ≥ boundary
    /// (false without a boundary) and the TSA-adjusted CI is estimate ± boundary · se on the
    /// analysis scale (null without a boundary). A post_final look carries the final look's boundary.
    /// Looks whose information falls (a trial retracted) are handled as <see cref="Boundaries"/> says:
    /// such a look is none, and the alpha spent never falls.
    /// </summary>
    /// <exception cref="ArgumentException">alpha outside (0, 1), a risAdjusted that is not positive and finite, or negative participants.</exception>
    public static IReadOnlyList<SequentialLook> Monitor(IReadOnlyList<LookInput> looks, double risAdjusted, double alpha, SpendingFunction spending)
    {
        if (!(risAdjusted > 0) || !double.IsFinite(risAdjusted))
            throw new ArgumentException($"the adjusted RIS must be a positive number, not {Show(risAdjusted)}", nameof(risAdjusted));
        var t = new double[looks.Count];
        for (var j = 0; j < looks.Count; j++)
        {
            if (!(looks[j].Participants >= 0) || !double.IsFinite(looks[j].Participants))
                throw new ArgumentException($"look {j + 1} ({looks[j].Label}) has {Show(looks[j].Participants)} participants", nameof(looks));
            t[j] = looks[j].Participants / risAdjusted;
        }
        var set = Boundaries(t, alpha, spending);
        var monitored = new SequentialLook[looks.Count];
        for (var j = 0; j < looks.Count; j++)
        {
            var look = looks[j];
            var z = look.Estimate / look.Se;
            var boundary = set.Boundaries[j];
            monitored[j] = new SequentialLook(
                look.Label, look.K, look.Participants, t[j], look.Estimate, look.Se, look.Tau2, z, set.LookTypes[j], boundary,
                boundary is { } c && Math.Abs(z) >= c, set.AlphaSpent[j],
                boundary is { } lower ? look.Estimate - lower * look.Se : null,
                boundary is { } upper ? look.Estimate + upper * look.Se : null);
        }
        return monitored;
    }

    /// <summary>
    /// The boundaries, alpha spent and look types at information fractions <paramref name="t"/> (in
    /// look order, not capped), two-sided at <paramref name="alpha"/> under <paramref name="spending"/>:
    /// <list type="bullet">
    /// <item>Type, decided in order: <c>final</c> is the first look with t ≥ 1 (monitored however small
    /// its step); every look after it is <c>post_final</c>, with the final look's boundary and all alpha
    /// spent; before it a look is <c>interim</c> when a*(t_j) ≥ 1e-10 (<see cref="SmallestSpending"/>)
    /// and t_j - t_prev ≥ 0.01 (<see cref="SmallestStep"/>), t_prev the t of the last interim look
    /// (0 if none), else <c>none</c> (no boundary, never crossed). A look whose information fell
    /// below the last interim look's is therefore none, and interim and final looks have strictly
    /// increasing t.</item>
    /// <item>Alpha spent: alpha_spent_j = a*(max_{i≤j} t_i) (<see cref="AlphaSpending.Spent"/>), so it
    /// never falls when information does; on information that never falls it is a*(t_j). At a
    /// monitored look the maximum is its own t, so the next monitored look spends a*(t) minus what
    /// the one before it spent, whatever fell in between.</item>
    /// <item>Boundaries at the monitored looks m_1 &lt; m_2 &lt; ...: c_{m_i} solves
    /// P0(|Z_{m_1}| &lt; c_{m_1}, ..., |Z_{m_{i-1}}| &lt; c_{m_{i-1}}, |Z_{m_i}| ≥ c_{m_i}) =
    /// a*(t_{m_i}) - a*(t_{m_{i-1}}), the Z standard normal with Corr(Z_a, Z_b) = √(t_a/t_b) on the
    /// uncapped t (Lan and DeMets 1983), by recursive numerical integration on the score scale. The
    /// first is closed form, Φ⁻¹(1 - a*(t)/2); a final look after interim ones spends what is left.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">alpha outside (0, 1), or a t that is negative or not finite.</exception>
    public static BoundarySet Boundaries(IReadOnlyList<double> t, double alpha, SpendingFunction spending)
    {
        if (alpha is not (> 0 and < 1))
            throw new ArgumentException($"alpha must be between 0 and 1 (exclusive), not {Show(alpha)}", nameof(alpha));
        if (!Enum.IsDefined(spending))
            throw new ArgumentException($"unknown spending function {spending}", nameof(spending));
        for (var j = 0; j < t.Count; j++)
        {
            if (!(t[j] >= 0) || !double.IsFinite(t[j]))
                throw new ArgumentException($"information fraction {j + 1} must be a number of at least 0, not {Show(t[j])}", nameof(t));
        }
        var types = new LookType[t.Count];
        var spent = new double[t.Count];
        var monitored = new List<int>();
        double highest = 0, lastInterim = 0;
        var final = -1;
        for (var j = 0; j < t.Count; j++)
        {
            highest = Math.Max(highest, t[j]);
            spent[j] = AlphaSpending.Spent(spending, alpha, highest);
            if (final >= 0)
                types[j] = LookType.PostFinal;
            else if (t[j] >= 1)
            {
                types[j] = LookType.Final;
                final = j;
                monitored.Add(j);
            }
            else if (AlphaSpending.Spent(spending, alpha, t[j]) >= SmallestSpending && t[j] - lastInterim >= SmallestStep)
            {
                types[j] = LookType.Interim;
                lastInterim = t[j];
                monitored.Add(j);
            }
            else
                types[j] = LookType.None;
        }
        var c = BoundaryRecursion.Solve(monitored.Select(j => t[j]).ToList(), monitored.Select(j => spent[j]).ToList());
        var boundaries = new double?[t.Count];
        for (var i = 0; i < monitored.Count; i++)
            boundaries[monitored[i]] = c[i];
        for (var j = final + 1; final >= 0 && j < t.Count; j++)
            boundaries[j] = boundaries[final];
        return new BoundarySet(boundaries, spent, types);
    }

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
