namespace Evidence.Statistics;

/// <summary>
/// What one pooling method is. Which measures it may pool is stated by the measures
/// (<see cref="MeasureDefinition.Methods"/>); <see cref="Measures"/> reads it back.
/// </summary>
/// <param name="Method">The method, by metafor's name.</param>
/// <param name="RandomEffects">Whether it estimates a between-study variance tau² (a random-effects model); FE, MH and PETO assume one common effect.</param>
/// <param name="PoolsCounts">
/// Whether it pools the raw counts of 2x2 tables (MH, PETO) rather than effect sizes with
/// inverse-variance weights: such a method pools only the measures that list it, and has no
/// Knapp-Hartung test.
/// </param>
/// <param name="Pools">What it pools, named before the list of its measures when it refuses one ("the odds ratio" for PETO); null to give the list alone.</param>
public sealed record MethodDefinition(Method Method, bool RandomEffects, bool PoolsCounts, string? Pools = null)
{
    /// <summary>The method's name in settings, events and on the command line (<c>REML</c>, <c>MH</c>).</summary>
    public string Name => Method.ToString();

    /// <summary>The measures this method may pool, in the catalogue's order.</summary>
    public IReadOnlyList<MeasureDefinition> Measures => MeasureCatalogue.Measures.Where(m => m.Methods.Contains(Method)).ToList();

    /// <summary>Its measures' names as a phrase: <c>OR, RR or RD</c>.</summary>
    public string MeasureNames => MeasureCatalogue.Either(Measures.Select(m => m.Name));

    /// <summary>Why this method cannot pool <paramref name="measure"/> (<c>MH pools OR, RR or RD from 2x2 tables, not SMD</c>), or null when it can.</summary>
    public string? Refusal(MeasureDefinition measure) => measure.Methods.Contains(Method)
        ? null
        : $"{Name} pools {(Pools is null ? MeasureNames : $"{Pools} ({MeasureNames})")} from 2x2 tables, not {measure.Name}";

    public override string ToString() => Name;
}
