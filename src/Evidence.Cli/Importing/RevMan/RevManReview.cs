namespace Evidence.Cli.Importing.RevMan;

/// <summary>
/// What a RevMan file holds of a review's analyses, in RevMan's own terms: its outcomes (one per
/// comparison and outcome) with their data rows and the pooled results RevMan stored, and every
/// element that could not be read (<see cref="Problems"/>).
/// </summary>
/// <param name="Title">The review's title (the rm5 cover sheet), or the file's name.</param>
/// <param name="Source">The file read, named in trials' sources.</param>
/// <param name="Outcomes">The outcomes, in file order.</param>
/// <param name="Problems">What could not be read or mapped, with where.</param>
/// <param name="Precision">Relative precision of the stored numbers: about 1e-15 for rm5 (full doubles), 6 decimal places for the data package.</param>
public sealed record RevManReview(string Title, string Source, IReadOnlyList<RevManOutcome> Outcomes, IReadOnlyList<RevManProblem> Problems, RevManPrecision Precision);

/// <summary>An element that could not be read or mapped, and where it is.</summary>
public sealed record RevManProblem(string Where, string What)
{
    public override string ToString() => $"{Where}: {What}";
}

/// <summary>How far a recomputation may be from a stored number before it differs: the half unit of the last printed decimal, or a relative error.</summary>
/// <param name="Decimals">Decimal places printed (null when numbers are full doubles).</param>
/// <param name="Relative">Relative tolerance for full doubles.</param>
public sealed record RevManPrecision(int? Decimals, double Relative)
{
    public static readonly RevManPrecision FullDouble = new(null, 1e-8);

    public static readonly RevManPrecision SixDecimals = new(6, 0);

    /// <summary>Whether <paramref name="computed"/> agrees with <paramref name="stored"/> to the printed precision.</summary>
    public bool Agrees(double stored, double computed)
    {
        if (Decimals is { } decimals)
            return Math.Abs(Math.Round(computed, decimals, MidpointRounding.AwayFromZero) - stored) <= 0.6 * Math.Pow(10, -decimals);
        return Math.Abs(stored - computed) <= Relative * Math.Max(1e-3, Math.Abs(stored));
    }
}

/// <summary>
/// One RevMan outcome of one comparison.
/// </summary>
/// <param name="Comparison">The comparison's number.</param>
/// <param name="Number">The outcome's number within the comparison.</param>
/// <param name="ComparisonName">The comparison's name.</param>
/// <param name="Name">The outcome's name.</param>
/// <param name="Type">RevMan's data type: <c>DICH</c>, <c>CONT</c>, <c>IV</c> (generic inverse variance), <c>IPD</c> (O-E and variance) or <c>OTHER</c>.</param>
/// <param name="Method">RevMan's statistical method: <c>MH</c>, <c>IV</c>, <c>PETO</c>, or null when the file gives none.</param>
/// <param name="Measure">The effect measure in RevMan's short form: <c>OR</c>, <c>RR</c>, <c>RD</c>, <c>PETO_OR</c>, <c>MD</c>, <c>SMD</c>, <c>HR</c>, or the file's text when it is none of these.</param>
/// <param name="Random">Random effects (DerSimonian-Laird) rather than a fixed effect.</param>
/// <param name="SwapEvents">Whether events and non-events are swapped for the analysis.</param>
/// <param name="LogScale">For generic inverse-variance data: whether the entered effects are on the log scale.</param>
/// <param name="Rows">One per study and subgroup, in file order.</param>
/// <param name="Pooled">The overall result RevMan stored, or null when it stored none (not calculated).</param>
/// <param name="Subgroups">The subgroups' stored results (empty without subgroups).</param>
/// <param name="SubgroupTest">The stored test for subgroup differences, when there are subgroups.</param>
public sealed record RevManOutcome(
    int Comparison, int Number, string ComparisonName, string Name, string Type, string? Method, string? Measure, bool Random,
    bool SwapEvents, bool LogScale, IReadOnlyList<RevManRow> Rows, RevManPooled? Pooled, IReadOnlyList<RevManSubgroup> Subgroups,
    RevManSubgroupTest? SubgroupTest)
{
    /// <summary>The outcome's label in RevMan, <c>1.2</c>.</summary>
    public string Label => $"{Comparison}.{Number}";
}

/// <summary>
/// One data row: a study's contribution to an outcome (in one subgroup). The raw numbers are keyed
/// <c>events1 total1 mean1 sd1</c>, <c>events2 total2 mean2 sd2</c> (group 1 = experimental),
/// <c>effect se</c> (generic inverse variance), <c>oe variance</c> (O-E and variance).
/// </summary>
public sealed record RevManRow(string Study, int? Year, string? Subgroup, IReadOnlyDictionary<string, double> Values);

/// <summary>A pooled result as RevMan stored it; ratio measures on the natural scale. Null fields were not stored.</summary>
public sealed record RevManPooled(double Estimate, double CiLower, double CiUpper, double? Tau2, double? Q, int? Df, double? QP, double? I2, double? Z, double? P);

/// <summary>A subgroup's stored result.</summary>
public sealed record RevManSubgroup(string Name, RevManPooled? Pooled);

/// <summary>The stored test for subgroup differences (Q between the subgroups, its df, p, and I²).</summary>
public sealed record RevManSubgroupTest(double Q, int? Df, double? P, double? I2);
