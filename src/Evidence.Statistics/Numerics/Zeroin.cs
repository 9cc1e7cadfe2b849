namespace Evidence.Statistics.Numerics;

/// <summary>
/// Brent's root finder exactly as R's <c>uniroot</c> runs it (R_zeroin2: inverse quadratic
/// interpolation with bisection fallback). metafor finds the Paule-Mandel tau² and the Q-profile
/// bounds this way with tolerance ε^¼ ≈ 1.2e-4, so its answers sit where this search stops, not at
/// the exact root; following the same steps reproduces them to the last digit.
/// </summary>
public static class Zeroin
{
    /// <summary>R's default tolerance, <c>.Machine$double.eps^0.25</c>.</summary>
    public static readonly double DefaultTolerance = Math.Pow(2.220446049250313e-16, 0.25);

    /// <summary>
    /// A root of <paramref name="f"/> in [a, b], where f(a) and f(b) have opposite signs (or one is
    /// 0). Returns null when <paramref name="maxIterations"/> is reached, as uniroot fails.
    /// </summary>
    public static double? Find(Func<double, double> f, double a, double b, double tolerance, int maxIterations)
    {
        double fa = f(a), fb = f(b);
        if (fa == 0)
            return a;
        if (fb == 0)
            return b;
        if (fa * fb > 0)
            return null;
        double c = a, fc = fa;
        for (var left = maxIterations + 1; left-- > 0;)
        {
            var prevStep = b - a;
            if (Math.Abs(fc) < Math.Abs(fb))
            {
                a = b; b = c; c = a;
                fa = fb; fb = fc; fc = fa;
            }
            var tolAct = 2 * 2.220446049250313e-16 * Math.Abs(b) + tolerance / 2;
            var newStep = (c - b) / 2;
            if (Math.Abs(newStep) <= tolAct || fb == 0)
                return b;
            if (Math.Abs(prevStep) >= tolAct && Math.Abs(fa) > Math.Abs(fb))
            {
                double p, q;
                var cb = c - b;
                if (a == c)
                {
                    var t1 = fb / fa;
                    p = cb * t1;
                    q = 1.0 - t1;
                }
                else
                {
                    q = fa / fc;
                    var t1 = fb / fc;
                    var t2 = fb / fa;
                    p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
                    q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
                }
                if (p > 0)
                    q = -q;
                else
                    p = -p;
                if (p < 0.75 * cb * q - Math.Abs(tolAct * q) / 2 && p < Math.Abs(prevStep * q / 2))
                    newStep = p / q;
            }
            if (Math.Abs(newStep) < tolAct)
                newStep = newStep > 0 ? tolAct : -tolAct;
            a = b;
            fa = fb;
            b += newStep;
            fb = f(b);
            if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0))
            {
                c = a;
                fc = fa;
            }
        }
        return null;
    }
}
