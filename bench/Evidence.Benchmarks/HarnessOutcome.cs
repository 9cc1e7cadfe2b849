using BenchmarkDotNet.Attributes;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Benchmarks;

/// <summary>
/// The analysis a version of the load harness's outcome stores (RR, REML, with its leave-one-out and
/// cumulative sections up to 50 trials), on the harness's 2x2 tables (bench/Evidence.Load/Api.cs).
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class HarnessOutcome
{
    private List<StudyData> studies = [];

    [Params(10, 20, 40, 50)]
    public int K { get; set; }

    [GlobalSetup]
    public void Setup() => studies = Enumerable.Range(1, K).Select(n => new StudyData($"t{n}", HarnessReview.Table(n))).ToList();

    [Benchmark]
    public AnalysisResult Analyze() => MetaAnalysis.Run(studies, new AnalysisSettings(Measure.RR, Method.REML));
}
