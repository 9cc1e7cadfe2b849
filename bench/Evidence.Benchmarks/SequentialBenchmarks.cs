using BenchmarkDotNet.Attributes;
using Evidence.Statistics.Sequential;

namespace Evidence.Benchmarks;

/// <summary>
/// Monitoring boundaries of a trial sequential analysis at K looks equally spaced up to the RIS,
/// t = 1/K, 2/K, ..., 1, as a snapshot recomputes them at every version.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public abstract class SequentialBoundaries
{
    private double[] t = [];

    [Params(5, 20, 100)]
    public int K { get; set; }

    protected abstract SpendingFunction Spending { get; }

    [GlobalSetup]
    public void Setup() => t = Enumerable.Range(1, K).Select(i => (double)i / K).ToArray();

    [Benchmark]
    public BoundarySet Boundaries() => TrialSequentialAnalysis.Boundaries(t, 0.05, Spending);
}

/// <summary>Pocock-type spending: every one of the K looks is monitored.</summary>
public class PocockBoundaries : SequentialBoundaries
{
    protected override SpendingFunction Spending => SpendingFunction.Pocock;
}

/// <summary>O'Brien-Fleming-type spending: the looks below t ≈ 0.12 get no boundary (at K = 100, 89 of the 100 are monitored).</summary>
public class ObrienFlemingBoundaries : SequentialBoundaries
{
    protected override SpendingFunction Spending => SpendingFunction.OBrienFleming;
}
