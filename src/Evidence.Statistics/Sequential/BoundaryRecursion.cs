using Evidence.Statistics.Numerics;

namespace Evidence.Statistics.Sequential;

/// <summary>
/// Two-sided group-sequential boundaries by recursive numerical integration (Armitage, McPherson and
/// Rowe 1969; Jennison and Turnbull 2000, ch. 19). On the score scale S = Z √t the statistic is a
/// Brownian motion, so between monitored looks it gains an independent N(0, t_k - t_{k-1}) step,
/// which gives Corr(Z_a, Z_b) = √(t_a / t_b). The sub-density of S among the paths that have not
/// crossed (restricted to (-c √t, c √t)) is carried from look to look on a uniform Simpson grid:
/// <list type="bullet">
/// <item>the first boundary is closed form, c₁ = Φ⁻¹(1 - a₁/2);</item>
/// <item>the one-sided exit probability at the next look is ∫ f(x) Φ(-(c √t_k - x)/σ) dx with
/// σ = √(t_k - t_{k-1}); c_k solves twice that = a_k - a_{k-1} on the log scale, where it is
/// nearly linear, by Newton's method kept inside a bracket by bisection (the slope costs one exp
/// per grid point, and 3 to 5 steps reach 1e-13, where a derivative-free search needs 10 or more);</item>
/// <item>the density carried on is the convolution f_k(y) = ∫ f_{k-1}(x) φ((y - x)/σ)/σ dx.</item>
/// </list>
/// Tails are upper-tail functions (erfc), so exit probabilities of 1e-10 keep a relative accuracy
/// far below the 1e-6 that the boundaries need. The grid step is at most <see cref="MaxStep"/> and
/// at most σ/<see cref="PointsPerSd"/> of the steps into and out of the look; the kernel is cut
/// where it falls below φ(<see cref="KernelWidth"/>) ≈ 1e-18 and evaluated by a multiplicative
/// recurrence (no exp in the inner loop). A final look whose step is too small for the grid (it is
/// monitored however small its step) is integrated panel by panel against the quadratic that
/// Simpson's rule fits to the density, with a sub-grid fine enough for its kernel. With these
/// settings no boundary moves by more than 1e-8 (relative) when the grid is made about five times
/// finer, at five looks as at 100 looks 1% apart, with steps far past the RIS or a final step of
/// 1e-12: far inside the reference's tolerance of 1e-5, at a fraction of the cost of its 0.002 step.
/// </summary>
internal sealed class BoundaryRecursion
{
    /// <summary>The largest grid step on the score scale.</summary>
    public const double MaxStep = 0.02;

    /// <summary>Grid points per standard deviation of the step between looks.</summary>
    public const double PointsPerSd = 20;

    /// <summary>Where the Gaussian kernel and the normal tail are cut, in standard deviations.</summary>
    public const double KernelWidth = 9;

    // Interim looks are at least 1% of the RIS apart, so their steps have σ ≥ 0.1.
    private const double SmallestInterimSd = 0.1;

    private static readonly double InvSqrt2Pi = 1 / Math.Sqrt(2 * Math.PI);

    private readonly double maxStep;
    private readonly double pointsPerSd;
    private double[] density = new double[64];
    private double[] weighted = new double[64];
    private double[] next = new double[64];
    private double lower;
    private double step;
    private int intervals;

    private BoundaryRecursion(double maxStep, double pointsPerSd)
    {
        this.maxStep = maxStep;
        this.pointsPerSd = pointsPerSd;
    }

    /// <summary>
    /// The boundaries c_k at strictly increasing information fractions <paramref name="t"/> (uncapped)
    /// with cumulative two-sided spending <paramref name="spent"/> (non-decreasing, below 1).
    /// </summary>
    public static double[] Solve(IReadOnlyList<double> t, IReadOnlyList<double> spent, double maxStep = MaxStep, double pointsPerSd = PointsPerSd)
    {
        var m = t.Count;
        var c = new double[m];
        if (m == 0)
            return c;
        c[0] = Distributions.NormalUpperQuantile(spent[0] / 2);
        if (m == 1)
            return c;
        var recursion = new BoundaryRecursion(maxStep, pointsPerSd);
        recursion.Start(t[0], c[0], recursion.StepFor(Math.Sqrt(t[0]), Math.Sqrt(t[1] - t[0])));
        for (var k = 1; k < m; k++)
        {
            var sd = Math.Sqrt(t[k] - t[k - 1]);
            c[k] = recursion.Boundary(Math.Sqrt(t[k]), sd, (spent[k] - spent[k - 1]) / 2);
            if (k < m - 1)
                recursion.Advance(c[k] * Math.Sqrt(t[k]), sd, recursion.StepFor(sd, Math.Sqrt(t[k + 1] - t[k])));
        }
        return c;
    }

    private double StepFor(double sdIn, double sdOut) =>
        Math.Min(maxStep, Math.Max(Math.Min(sdIn, sdOut), SmallestInterimSd) / pointsPerSd);

    /// <summary>The density of S = Z √t₁ at the first look, φ(x/√t₁)/√t₁ on (-c₁ √t₁, c₁ √t₁).</summary>
    private void Start(double t, double c, double maxGridStep)
    {
        var sqrtT = Math.Sqrt(t);
        Layout(c * sqrtT, maxGridStep);
        for (var i = 0; i <= intervals; i++)
        {
            var z = (lower + i * step) / sqrtT;
            density[i] = Math.Exp(-0.5 * z * z) * InvSqrt2Pi / sqrtT;
        }
        Weigh();
    }

    /// <summary>Lays out an even number of intervals over (-b, b), no wider than <paramref name="maxGridStep"/>.</summary>
    private void Layout(double b, double maxGridStep)
    {
        var n = (int)Math.Ceiling(2 * b / maxGridStep);
        intervals = Math.Max(2, n + (n & 1));
        lower = -b;
        step = 2 * b / intervals;
        Fit(ref density, intervals);
        Fit(ref weighted, intervals);
    }

    /// <summary>Simpson weights times the density, the vector every integral over the grid uses.</summary>
    private void Weigh()
    {
        var third = step / 3;
        for (var i = 0; i <= intervals; i++)
            weighted[i] = density[i] * third * (i == 0 || i == intervals ? 1 : (i & 1) == 1 ? 4 : 2);
    }

    /// <summary>
    /// The c at which the one-sided exit probability at this look equals <paramref name="target"/>:
    /// the root of g(c) = log E(c √t) - log target, which is decreasing and nearly linear, by
    /// Newton's method safeguarded by bisection inside a bracket [0, Φ⁻¹(1 - target)] (the exit
    /// probability is below the marginal tail P(Z ≥ c), so c cannot exceed that tail's quantile).
    /// </summary>
    private double Boundary(double sqrtT, double sd, double target)
    {
        if (!(target > 0))
            return double.PositiveInfinity;
        var logTarget = Math.Log(target);
        double low = 0, high = Distributions.NormalUpperQuantile(target);
        var c = high;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var (exit, slope) = Exit(c * sqrtT, sd);
            if (!(exit > 0))
            {
                high = c;
                c = 0.5 * (low + high);
                continue;
            }
            var gap = Math.Log(exit) - logTarget;
            if (gap == 0)
                return c;
            if (gap > 0)
                low = c;
            else
                high = c;
            var derivative = -sqrtT * slope / exit;
            var next = derivative < 0 ? c - gap / derivative : double.NaN;
            // Newton's error squares at each step: from a gap of 1e-7 (c within about 1e-8) the
            // next step lands within about 1e-15, so it is taken without another integral.
            if (Math.Abs(next - c) <= 1e-13 * Math.Max(1, c) || (Math.Abs(gap) <= 1e-7 && next > low && next < high))
                return next;
            if (!(next > low && next < high))
                next = 0.5 * (low + high);
            if (high - low <= 1e-13 * Math.Max(1, c))
                return next;
            c = next;
        }
        throw new InvalidOperationException("the boundary search did not converge");
    }

    /// <summary>
    /// E(b) = ∫ f(x) Φ(-(b - x)/σ) dx over the grid, the one-sided probability of crossing b at the
    /// next look, and its slope -dE/db = ∫ f(x) φ((b - x)/σ)/σ dx.
    /// </summary>
    private (double Exit, double Slope) Exit(double b, double sd)
    {
        var inv = 1 / sd;
        if (step * pointsPerSd > sd * 1.0000001)
            return FineExit(b, sd);
        var first = Math.Max(0, (int)Math.Ceiling((b - KernelWidth * sd - lower) / step));
        double sum = 0, slope = 0;
        for (var i = first; i <= intervals; i++)
        {
            var z = (b - (lower + i * step)) * inv;
            if (z < -KernelWidth)
            {
                sum += weighted[i];
                continue;
            }
            sum += weighted[i] * Distributions.NormalUpper(z);
            slope += weighted[i] * Math.Exp(-0.5 * z * z);
        }
        return (sum, slope * inv * InvSqrt2Pi);
    }

    /// <summary>
    /// <see cref="Exit"/> for a step too small for the grid: panel by panel, the density is Simpson's
    /// quadratic through the panel's three points; where the kernel changes it is integrated on a
    /// sub-grid of σ/<see cref="PointsPerSd"/>, above it (tail 1) exactly, below it (tail 0) not at all.
    /// </summary>
    private (double Exit, double Slope) FineExit(double b, double sd)
    {
        var inv = 1 / sd;
        double windowLow = b - KernelWidth * sd, windowHigh = b + KernelWidth * sd;
        double sum = 0, slope = 0;
        for (var p = 0; p < intervals; p += 2)
        {
            var x0 = lower + p * step;
            var x2 = x0 + 2 * step;
            if (x2 <= windowLow)
                continue;
            double f0 = density[p], f1 = density[p + 1], f2 = density[p + 2];
            double Quadratic(double x)
            {
                var s = (x - x0) / step;
                return f0 + s * (f1 - f0) + 0.5 * s * (s - 1) * (f2 - 2 * f1 + f0);
            }
            var from = Math.Max(x0, windowLow);
            var to = Math.Min(x2, windowHigh);
            if (to < x2)
            {
                var u = Math.Max(to, x0);
                sum += (x2 - u) / 6 * (Quadratic(u) + 4 * Quadratic(0.5 * (u + x2)) + Quadratic(x2));
            }
            if (to <= from)
                continue;
            var n = 2 * (int)Math.Ceiling((to - from) * pointsPerSd * inv / 2);
            var h = (to - from) / n;
            double part = 0, partSlope = 0;
            for (var i = 0; i <= n; i++)
            {
                var x = from + i * h;
                var z = (b - x) * inv;
                var weight = (i == 0 || i == n ? 1 : (i & 1) == 1 ? 4 : 2) * Quadratic(x);
                part += weight * Distributions.NormalUpper(z);
                partSlope += weight * Math.Exp(-0.5 * z * z);
            }
            sum += part * h / 3;
            slope += partSlope * h / 3;
        }
        return (sum, slope * inv * InvSqrt2Pi);
    }

    /// <summary>Carries the density over a step of SD <paramref name="sd"/>, restricted to (-b, b) at the look just solved.</summary>
    private void Advance(double b, double sd, double maxGridStep)
    {
        double oldLower = lower, oldStep = step;
        var oldIntervals = intervals;
        var n = (int)Math.Ceiling(2 * b / maxGridStep);
        var newIntervals = Math.Max(2, n + (n & 1));
        Fit(ref next, newIntervals);
        var newStep = 2 * b / newIntervals;
        var inv = 1 / sd;
        var delta = oldStep * inv;
        var kernel = new GaussianRow(delta);
        var reach = KernelWidth * sd;
        for (var j = 0; j <= newIntervals / 2; j++)
        {
            var y = -b + j * newStep;
            var from = Math.Max(0, (int)Math.Ceiling((y - reach - oldLower) / oldStep));
            var to = Math.Min(oldIntervals, (int)Math.Floor((y + reach - oldLower) / oldStep));
            var sum = from <= to ? kernel.Dot(weighted.AsSpan(from, to - from + 1), (y - (oldLower + from * oldStep)) * inv) : 0;
            next[j] = next[newIntervals - j] = sum * inv * InvSqrt2Pi;
        }
        (density, next) = (next, density);
        intervals = newIntervals;
        lower = -b;
        step = newStep;
        Fit(ref weighted, intervals);
        Weigh();
    }

    /// <summary>Makes room for a grid of <paramref name="intervals"/>, growing by half at least so that widening boundaries do not allocate at every look.</summary>
    private static void Fit(ref double[] values, int intervals)
    {
        if (values.Length <= intervals)
            values = new double[Math.Max(intervals + 1, values.Length + values.Length / 2)];
    }
}
