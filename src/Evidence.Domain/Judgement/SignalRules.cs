namespace Evidence.Domain.Judgement;

/// <summary>One rule switched on or off, with its parameter where it has one.</summary>
public sealed record RuleSetting(bool Enabled, double? Value = null);

/// <summary>A band of I² in percent, both ends included, with what the band is called.</summary>
public sealed record I2Band(double From, double To, string Label);

/// <summary>
/// Which signals an outcome raises when a new version is compared with the one before, and their
/// parameters. Every rule is on by default with the published parameters; a review changes them per
/// outcome as events (<see cref="Reviews.OutcomeSignalRulesSet"/>).
/// </summary>
/// <param name="Significance">p crossed alpha (<see cref="RuleSetting.Value"/>, 0.05) either way (p &lt; alpha is significant).</param>
/// <param name="Direction">The natural estimate moved strictly to the other side of the null (one exactly on it is on neither side).</param>
/// <param name="CiNull">The CI newly includes the null (lower &lt;= null &lt;= upper), or no longer does.</param>
/// <param name="PiNull">The prediction interval newly includes the null, or no longer does; silent where either version has none.</param>
/// <param name="CiThreshold">The CI newly includes a decision threshold (<c>lower</c>, <c>upper</c>), or no longer does.</param>
/// <param name="PiThreshold">The prediction interval newly includes a decision threshold, or no longer does.</param>
/// <param name="EstimateThreshold">The point estimate moved strictly to the other side of a decision threshold.</param>
/// <param name="RelativeChange">|new - old| / |old| of the estimate on the analysis scale is at least the value (0.5, the Ottawa method's); from exactly 0, any other estimate.</param>
/// <param name="Heterogeneity">I² (percent) is in bands (<see cref="Bands"/>, ends included) none of which held the I² before.</param>
/// <param name="NewTrialWeight">A trial that entered the analysis carries at least the value (0.25) of the weight (percent / 100).</param>
/// <param name="TrialStatus">A trial in the analysis was retracted or excluded (and left it), or corrected (and stayed in it).</param>
/// <param name="Bands">The I² bands; the Cochrane Handbook's overlapping ones by default.</param>
/// <param name="SequentialBoundary">
/// The last look of the version's trial sequential analysis crosses a monitoring boundary and the
/// version before's did not, or no longer does (both versions with a sequential section). Null: on
/// (rules set before this rule existed are stored without it, so their hash is unchanged).
/// </param>
/// <param name="InformationSize">The required information size is reached at this version and was not at the version before (both with a sequential section). Null: on.</param>
public sealed record SignalRules(
    RuleSetting Significance, RuleSetting Direction, RuleSetting CiNull, RuleSetting PiNull,
    RuleSetting CiThreshold, RuleSetting PiThreshold, RuleSetting EstimateThreshold,
    RuleSetting RelativeChange, RuleSetting Heterogeneity, RuleSetting NewTrialWeight, RuleSetting TrialStatus,
    IReadOnlyList<I2Band> Bands,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    RuleSetting? SequentialBoundary = null,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    RuleSetting? InformationSize = null)
{
    private static readonly RuleSetting On = new(true);

    /// <summary>The Cochrane Handbook's guide to I² (section 10.10.2): the bands overlap on purpose.</summary>
    public static readonly IReadOnlyList<I2Band> CochraneBands =
    [
        new(0, 40, "might not be important"),
        new(30, 60, "may represent moderate heterogeneity"),
        new(50, 90, "may represent substantial heterogeneity"),
        new(75, 100, "considerable heterogeneity"),
    ];

    /// <summary>Every rule on, with the published parameters.</summary>
    public static readonly SignalRules Default = new(
        new(true, 0.05), new(true), new(true), new(true), new(true), new(true), new(true),
        new(true, 0.5), new(true), new(true, 0.25), new(true), CochraneBands, On, On);

    /// <summary>The rules with every setting filled in (a rule stored without a setting is on).</summary>
    public SignalRules Resolved() => this with { SequentialBoundary = SequentialBoundary ?? On, InformationSize = InformationSize ?? On };

    /// <summary>The rules by the names requests and signals use, in that order.</summary>
    public IReadOnlyList<(string Name, RuleSetting Setting)> Named() =>
    [
        (SignalKinds.Significance, Significance), (SignalKinds.Direction, Direction), (SignalKinds.CiNull, CiNull),
        (SignalKinds.PiNull, PiNull), (SignalKinds.CiThreshold, CiThreshold), (SignalKinds.PiThreshold, PiThreshold),
        (SignalKinds.EstimateThreshold, EstimateThreshold), (SignalKinds.RelativeChange, RelativeChange),
        (SignalKinds.Heterogeneity, Heterogeneity), (SignalKinds.NewTrialWeight, NewTrialWeight), (SignalKinds.TrialStatus, TrialStatus),
        (SignalKinds.SequentialBoundary, SequentialBoundary ?? On), (SignalKinds.InformationSize, InformationSize ?? On),
    ];
}

/// <summary>The kinds of signal, one per rule; a subscription filters by them.</summary>
public static class SignalKinds
{
    public const string Significance = "significance";
    public const string Direction = "direction";
    public const string CiNull = "ciNull";
    public const string PiNull = "piNull";
    public const string CiThreshold = "ciThreshold";
    public const string PiThreshold = "piThreshold";
    public const string EstimateThreshold = "estimateThreshold";
    public const string RelativeChange = "relativeChange";
    public const string Heterogeneity = "heterogeneity";
    public const string NewTrialWeight = "newTrialWeight";
    public const string TrialStatus = "trialStatus";
    public const string SequentialBoundary = "sequentialBoundary";
    public const string InformationSize = "informationSize";

    public static readonly IReadOnlyList<string> All =
        [Significance, Direction, CiNull, PiNull, CiThreshold, PiThreshold, EstimateThreshold, RelativeChange, Heterogeneity, NewTrialWeight, TrialStatus,
            SequentialBoundary, InformationSize];
}
