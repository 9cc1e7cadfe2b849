namespace Evidence.Statistics.Numerics;

/// <summary>
/// The p x p algebra of a meta-regression (p is the number of coefficients, a handful): sums over
/// studies are accumulated in O(k p²), so k in the tens of thousands never builds a k x k matrix.
/// </summary>
internal static class SmallMatrix
{
    /// <summary>Σ f(i) x_i x_iᵀ.</summary>
    public static double[,] Gram(double[][] x, Func<int, double> weight)
    {
        var p = x[0].Length;
        var m = new double[p, p];
        for (var i = 0; i < x.Length; i++)
        {
            var w = weight(i);
            var row = x[i];
            for (var a = 0; a < p; a++)
            {
                for (var b = 0; b < p; b++)
                    m[a, b] += w * row[a] * row[b];
            }
        }
        return m;
    }

    /// <summary>The inverse of a symmetric positive-definite matrix (Gauss-Jordan with pivoting); null when singular.</summary>
    public static double[,]? Inverse(double[,] m)
    {
        var n = m.GetLength(0);
        if (n == 1)
            return m[0, 0] == 0 ? null : new[,] { { 1 / m[0, 0] } };
        var a = (double[,])m.Clone();
        var inv = new double[n, n];
        for (var i = 0; i < n; i++)
            inv[i, i] = 1;
        for (var col = 0; col < n; col++)
        {
            var pivot = col;
            for (var r = col + 1; r < n; r++)
            {
                if (Math.Abs(a[r, col]) > Math.Abs(a[pivot, col]))
                    pivot = r;
            }
            if (Math.Abs(a[pivot, col]) < 1e-300)
                return null;
            Swap(a, col, pivot);
            Swap(inv, col, pivot);
            var d = a[col, col];
            for (var c = 0; c < n; c++)
            {
                a[col, c] /= d;
                inv[col, c] /= d;
            }
            for (var r = 0; r < n; r++)
            {
                if (r == col || a[r, col] == 0)
                    continue;
                var f = a[r, col];
                for (var c = 0; c < n; c++)
                {
                    a[r, c] -= f * a[col, c];
                    inv[r, c] -= f * inv[col, c];
                }
            }
        }
        return inv;
    }

    public static double[] Times(double[,] m, double[] v)
    {
        var n = v.Length;
        var result = new double[n];
        for (var a = 0; a < n; a++)
        {
            for (var b = 0; b < n; b++)
                result[a] += m[a, b] * v[b];
        }
        return result;
    }

    /// <summary>xᵀ M x.</summary>
    public static double Quadratic(double[,] m, double[] x)
    {
        var sum = 0.0;
        for (var a = 0; a < x.Length; a++)
        {
            for (var b = 0; b < x.Length; b++)
                sum += x[a] * m[a, b] * x[b];
        }
        return sum;
    }

    /// <summary>tr(M N M N) for symmetric p x p matrices.</summary>
    public static double TraceOfSquare(double[,] m, double[,] n)
    {
        var p = m.GetLength(0);
        var mn = new double[p, p];
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < p; b++)
            {
                for (var c = 0; c < p; c++)
                    mn[a, b] += m[a, c] * n[c, b];
            }
        }
        var trace = 0.0;
        for (var a = 0; a < p; a++)
        {
            for (var b = 0; b < p; b++)
                trace += mn[a, b] * mn[b, a];
        }
        return trace;
    }

    /// <summary>log det of a positive-definite matrix, by Cholesky.</summary>
    public static double LogDeterminant(double[,] m)
    {
        var n = m.GetLength(0);
        var l = new double[n, n];
        var logDet = 0.0;
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = m[i, j];
                for (var k = 0; k < j; k++)
                    sum -= l[i, k] * l[j, k];
                if (i == j)
                {
                    l[i, i] = Math.Sqrt(sum);
                    logDet += 2 * Math.Log(l[i, i]);
                }
                else
                    l[i, j] = sum / l[j, j];
            }
        }
        return logDet;
    }

    private static void Swap(double[,] m, int r1, int r2)
    {
        if (r1 == r2)
            return;
        for (var c = 0; c < m.GetLength(1); c++)
            (m[r1, c], m[r2, c]) = (m[r2, c], m[r1, c]);
    }
}
