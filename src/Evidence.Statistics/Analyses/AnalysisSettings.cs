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

    /// <summary>Whether <see cref="Method"/> pools the raw counts of 2x2 tables (<see cref="MethodDefinition.PoolsCounts"/>).</summary>
    public bool IsCountMethod => MeasureCatalogue.Of(Method).PoolsCounts;

    /// <summary>
    /// Why <see cref="Method"/> cannot pool <see cref="Measure"/>, or null when it can, by the
    /// catalogue (<see cref="MeasureDefinition.Methods"/>): Mantel-Haenszel pools OR, RR or RD and
    /// Peto's method the odds ratio (OR, or PETO by name), both from the raw counts of 2x2 tables;
    /// every other method pools any measure.
    /// </summary>
    public string? MethodMismatch() => MeasureCatalogue.Of(Method).Refusal(MeasureCatalogue.Of(Measure));
}
