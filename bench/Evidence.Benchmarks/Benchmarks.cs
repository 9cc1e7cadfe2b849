using BenchmarkDotNet.Attributes;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;
using Evidence.Statistics.Pooling;

namespace Evidence.Benchmarks;

/// <summary>A REML random-effects fit (Fisher scoring to metafor's convergence rule).</summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class RemlFit
{
    private double[] y = [];
    private double[] v = [];
    private double[][] x = [];

    [Params(10, 100, 1_000, 10_000)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        (y, v) = SyntheticData.Effects(K);
        x = InverseVariance.Intercept(K);
    }

    [Benchmark]
    public double Fit() => InverseVariance.Fit(y, v, x, Method.REML, Test.Z).Tau2;
}

/// <summary>
/// The full analysis of an outcome: REML fit, Q-profile CI of tau², prediction interval,
/// leave-one-out and cumulative meta-analysis (and Egger's test), as a snapshot computes it.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class FullAnalysis
{
    private List<StudyData> studies = [];

    [Params(31, 1_000)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var (y, v) = SyntheticData.Effects(K);
        studies = y.Select((yi, i) => new StudyData($"s{i}", new Dictionary<string, double> { ["yi"] = yi, ["vi"] = v[i] })).ToList();
    }

    [Benchmark]
    public AnalysisResult Analyze() => MetaAnalysis.Run(studies, new AnalysisSettings(Measure.GEN, Method.REML));
}
