using System.Reflection;
using System.Text.Json;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// Pools an outcome's inputs with <see cref="MetaAnalysis"/>. This is where the review's words meet
/// the statistics': each included <em>trial</em> of the outcome is one <em>study</em> of the
/// analysis, named by its trial id, in the outcome's cumulative order, labelled with its subgroup
/// attribute under that attribute's name; the domain speaks of trials everywhere else, the engine of
/// studies. The result is stored in the same JSON as <c>evidence analyze</c> writes.
/// </summary>
public sealed class OutcomeAnalyzer : IOutcomeAnalyzer
{
    public string EngineVersion { get; } =
        typeof(MetaAnalysis).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public AnalyzedOutcome Analyze(OutcomeInputs inputs, AnalysisDepth depth = AnalysisDepth.Stored)
    {
        var studiesOnRead = depth == AnalysisDepth.Stored && inputs.Included.Count > SnapshotRules.StoredStudyLimit;
        var settings = inputs.Settings.ToSettings() with
        {
            Sensitivity = depth == AnalysisDepth.Full || (depth == AnalysisDepth.Stored && !studiesOnRead),
        };
        // The subgroup attribute's own name labels the studies, so the result names it as it is.
        var studies = inputs.Included.Select(s => new StudyData(s.TrialId, s.Data,
            inputs.Settings.Subgroup is not { } subgroup || s.Subgroup is null ? new Dictionary<string, string>() : new Dictionary<string, string> { [subgroup] = s.Subgroup })).ToList();
        var result = Run(studies, settings);
        var weights = result.Studies.Where(s => double.IsFinite(s.Weight)).ToDictionary(s => s.Study, s => s.Weight, StringComparer.Ordinal);
        if (studiesOnRead)
            return new AnalyzedOutcome([], Summary(result), Json(result with { Studies = [] }), result with { Studies = [] }, StudiesOnRead: true) { Weights = weights };
        var included = inputs.Included.Select((s, i) =>
        {
            var effect = result.Studies.Count > i ? result.Studies[i] : null;
            return new IncludedStudy(s.TrialId, s.TrialVersion, s.Year, s.Data, s.Subgroup, s.Order, Finite(effect?.Yi), Finite(effect?.Vi), Finite(effect?.Weight));
        }).ToList();
        return new AnalyzedOutcome(included, Summary(result), Json(result), result) { Weights = weights };
    }

    /// <summary>
    /// The analysis, whatever the data: input the measure cannot use (recorded under other settings,
    /// or racing a settings change) makes the version not estimable, naming the trial, like valid data
    /// that give no estimate. So a review's snapshots never stop on its data; the next event moves on.
    /// </summary>
    private static AnalysisResult Run(IReadOnlyList<StudyData> studies, AnalysisSettings settings)
    {
        try
        {
            return MetaAnalysis.Run(studies, settings);
        }
        catch (EffectSizeException e)
        {
            return AnalysisResult.Without(settings, studies.Count, new NotEstimable($"{e.Study}: {e.Field} {e.Reason}", [e.Study]));
        }
        catch (Exception e) when (e is ArgumentException or ArithmeticException)
        {
            return AnalysisResult.Without(settings, studies.Count, new NotEstimable(e.Message, [.. studies.Select(s => s.Study)]));
        }
    }

    private static JsonElement Json(AnalysisResult result) => JsonSerializer.SerializeToElement(AnalysisJson.ToJson(result));

    private static SnapshotSummary Summary(AnalysisResult result) => result.Overall is not { } o || !result.Estimable
        ? new SnapshotSummary(result.Overall?.K ?? result.StudyCount, null, null, null, null, null, null, null, null, null, null, null, result.Estimable)
        : new SnapshotSummary(o.K, Finite(o.Estimate), Finite(o.CiLower), Finite(o.CiUpper), Finite(o.P), Finite(o.Tau2), Finite(o.I2),
            Finite(o.PiLower), Finite(o.PiUpper), Finite(o.Natural?.Estimate), Finite(o.Natural?.CiLower), Finite(o.Natural?.CiUpper),
            NaturalPiLower: Finite(o.Natural?.PiLower), NaturalPiUpper: Finite(o.Natural?.PiUpper));

    /// <summary>Extreme but valid data can overflow to infinity or NaN; JSON cannot hold them, so they are stored as null.</summary>
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
