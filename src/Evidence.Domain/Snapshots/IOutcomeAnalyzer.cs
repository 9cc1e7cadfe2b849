using System.Text.Json;

namespace Evidence.Domain.Snapshots;

/// <summary>The analysis of one outcome's inputs: per-study effects and weights, the headline, and the full result.</summary>
public sealed record AnalyzedOutcome(IReadOnlyList<IncludedStudy> Included, SnapshotSummary Summary, JsonElement Result);

/// <summary>Turns an outcome's inputs into its pooled estimate; a pure function of the inputs.</summary>
public interface IOutcomeAnalyzer
{
    /// <summary>The engine's version, stored with every snapshot so a rebuild can tell what changed.</summary>
    string EngineVersion { get; }

    AnalyzedOutcome Analyze(OutcomeInputs inputs);
}
