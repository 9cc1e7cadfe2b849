using System.Text.Json;
using Evidence.Statistics.Analyses;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// The analysis of one outcome's inputs: per-study effects and weights, the headline, and the full
/// result, typed (<see cref="Analysis"/>) and as stored (<see cref="Result"/>, written by
/// <see cref="AnalysisJson"/>). <see cref="StudiesOnRead"/> is set when the per-study sections were
/// not computed (see <see cref="AnalysisDepth.Stored"/>).
/// </summary>
public sealed record AnalyzedOutcome(IReadOnlyList<IncludedStudy> Included, SnapshotSummary Summary, JsonElement Result, AnalysisResult Analysis, bool StudiesOnRead = false)
{
    /// <summary>Each included trial's percent weight in the overall fit, also where the version does not store its per-study sections.</summary>
    public IReadOnlyDictionary<string, double> Weights { get; init; } = new Dictionary<string, double>();
}

/// <summary>How much of an outcome's analysis to compute.</summary>
public enum AnalysisDepth
{
    /// <summary>
    /// What a snapshot version stores. Up to <see cref="SnapshotRules.StoredStudyLimit"/> included
    /// trials, everything. Above it, the pooled estimate, heterogeneity, prediction interval,
    /// subgroups and Egger's test only: the per-study sections (effects and weights, cumulative,
    /// leave-one-out) grow with k per version, and leave-one-out and cumulative cost k fits each,
    /// so storing them with every version would make a review of k trials cost O(k²) in time and
    /// space. Those versions compute them when read.
    /// </summary>
    Stored,

    /// <summary>Everything but the sensitivity analyses: per-study effects and weights (what a diff and a forest plot need).</summary>
    Studies,

    /// <summary>Everything, whatever the number of trials.</summary>
    Full,
}

/// <summary>Turns an outcome's inputs into its pooled estimate; a pure function of the inputs.</summary>
public interface IOutcomeAnalyzer
{
    /// <summary>The engine's version, stored with every snapshot so a rebuild can tell what changed.</summary>
    string EngineVersion { get; }

    AnalyzedOutcome Analyze(OutcomeInputs inputs, AnalysisDepth depth = AnalysisDepth.Stored);
}
