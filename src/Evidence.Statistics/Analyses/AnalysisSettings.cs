namespace Evidence.Statistics.Analyses;

/// <summary>
/// What to compute: the effect measure, the pooling method, the test, an optional subgroup label,
/// an optional label or column giving the cumulative order (data order when absent), and the
/// moderators of a meta-regression (when any are given, the result is the meta-regression).
/// </summary>
public sealed record AnalysisSettings(Measure Measure, Method Method, Test Test = Test.Z, string? Subgroup = null, string? Order = null, IReadOnlyList<string>? Moderators = null)
{
    /// <summary>Iteration limit of the Fisher-scoring estimators (metafor's <c>maxiter</c>).</summary>
    public int MaxIterations { get; init; } = Pooling.TauSquaredEstimators.MaxIterations;

    /// <summary>
    /// Whether to run the sensitivity analyses (cumulative and leave-one-out). Each refits the model
    /// once per study, so they cost k fits of k studies; a caller that only needs the pooled estimate,
    /// its heterogeneity and subgroups turns them off and gets <c>null</c> for both.
    /// </summary>
    public bool Sensitivity { get; init; } = true;

    /// <summary>
    /// The convention preset: <see cref="Statistics.Conventions.Metafor"/> (the default) or
    /// <see cref="Statistics.Conventions.RevMan5"/>, which pools with FE, DL, MH or PETO, the z test,
    /// and no moderators (<see cref="RevMan5Pooling"/>).
    /// </summary>
    public Conventions Conventions { get; init; } = Conventions.Metafor;

    /// <summary>Whether <see cref="Method"/> pools the raw counts of 2x2 tables (<see cref="MethodDefinition.PoolsCounts"/>).</summary>
    public bool IsCountMethod => MeasureCatalogue.Of(Method).PoolsCounts;

    /// <summary>
    /// Why <see cref="Method"/> cannot pool <see cref="Measure"/>, or null when it can, by the
    /// catalogue (<see cref="MeasureDefinition.Methods"/>): Mantel-Haenszel pools OR, RR or RD and
    /// Peto's method the odds ratio (OR, or PETO by name), both from the raw counts of 2x2 tables;
    /// every other method pools any measure. Under <see cref="Statistics.Conventions.RevMan5"/> the
    /// method must be one RevMan 5 has, the test z, and there are no moderators.
    /// </summary>
    public string? MethodMismatch()
    {
        if (MeasureCatalogue.Of(Method).Refusal(MeasureCatalogue.Of(Measure)) is { } refusal)
            return refusal;
        if (Conventions != Conventions.RevMan5)
            return null;
        if (!MeasureCatalogue.RevMan5Methods.Contains(Method))
            return $"the revman5 conventions pool with {MeasureCatalogue.Either(MeasureCatalogue.RevMan5Methods.Select(m => m.ToString()))}, not {Method}";
        if (Test != Test.Z)
            return "the revman5 conventions use the z test";
        return Moderators is { Count: > 0 } ? "the revman5 conventions have no meta-regression" : null;
    }
}
