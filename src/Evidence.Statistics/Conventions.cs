namespace Evidence.Statistics;

/// <summary>
/// The conventions a whole analysis follows where programs disagree (zero cells, the centre of Q,
/// the random-effects weights); <see cref="MeasureCatalogue.ConventionNames"/> names each.
/// </summary>
public enum Conventions
{
    /// <summary>
    /// metafor's defaults: 1/2 added to every cell of a 2x2 table with a zero cell, tables with no
    /// events in both groups kept; MH and Peto pool the raw counts; I² of a random-effects fit from
    /// tau² and the typical sampling variance.
    /// </summary>
    Metafor,

    /// <summary>
    /// RevMan 5's own pooling (<see cref="Analyses.RevMan5Pooling"/>): studies with no events (or only
    /// events) in both groups dropped from the model and its df; 1/2 added to every cell of a table
    /// with a zero cell; Mantel-Haenszel on those corrected counts; Q around the pooled (MH or
    /// inverse-variance) estimate, I² = max(0, (Q - df)/Q), DerSimonian-Laird tau² from that Q;
    /// random effects always pooled with inverse-variance weights 1/(vᵢ + tau²); z(0.975) = 1.959964.
    /// </summary>
    RevMan5,
}
