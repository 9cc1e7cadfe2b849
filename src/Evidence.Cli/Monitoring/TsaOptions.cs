using System.Globalization;
using Evidence.Cli.Common;
using Evidence.Statistics;
using Evidence.Statistics.Sequential;

namespace Evidence.Cli.Monitoring;

/// <summary>Reads <see cref="TsaSettings"/> into the engine's types; anything missing, unknown or contradictory is a <see cref="UsageException"/>.</summary>
public static class TsaOptions
{
    private static readonly string[] DesignOptions = ["data", "measure", "order", "beta", "pc", "rrr", "delta", "sd", "heterogeneity"];

    /// <summary>json or table, whatever the case.</summary>
    public static bool Json(TsaSettings args) => args.Format.ToLowerInvariant() switch
    {
        "json" => true,
        "table" => false,
        _ => throw new UsageException($"--format must be json or table, not '{args.Format}'"),
    };

    /// <summary>The information fractions, alpha and spending function of <c>--boundaries</c>; no design option may come with them.</summary>
    public static (List<double> T, double Alpha, SpendingFunction Spending) Boundaries(TsaSettings args)
    {
        if (DesignOptions.FirstOrDefault(o => Given(args, o)) is { } extra)
            throw new UsageException($"--boundaries takes --t, --alpha, --spending and --format, not --{extra}");
        var t = Required(args.T, "t").Split(',').Select(cell => Number(cell, "t")).ToList();
        return (t, Number(Required(args.Alpha, "alpha"), "alpha"), Spending(args));
    }

    /// <summary>The measure and design of a full analysis, checked by the engine's rules (<see cref="TrialSequentialAnalysis.Problems"/>).</summary>
    public static (Measure Measure, SequentialDesign Design) Analysis(TsaSettings args)
    {
        if (args.T is not null)
            throw new UsageException("--t goes with --boundaries; a full analysis takes its information from --data");
        Required(args.Data, "data");
        var measure = Required(args.Measure, "measure").ToUpperInvariant() switch
        {
            "RR" => Measure.RR,
            "OR" => Measure.OR,
            "RD" => Measure.RD,
            "MD" => Measure.MD,
            _ => throw new UsageException($"--measure must be RR, OR, RD or MD, not '{args.Measure}'"),
        };
        var binary = measure != Measure.MD;
        var (given, other) = binary ? (new[] { "pc", "rrr" }, new[] { "delta", "sd" }) : (["delta", "sd"], ["pc", "rrr"]);
        if (other.FirstOrDefault(o => Given(args, o)) is { } wrong)
            throw new UsageException($"{measure} is {(binary ? "binary" : "continuous")}: give --{given[0]} and --{given[1]}, not --{wrong}");
        var alpha = Number(Required(args.Alpha, "alpha"), "alpha");
        var beta = Number(Required(args.Beta, "beta"), "beta");
        var heterogeneity = Heterogeneity(Required(args.Heterogeneity, "heterogeneity"));
        var design = binary
            ? new SequentialDesign(alpha, beta, heterogeneity, Spending(args),
                ControlRisk: Number(Required(args.Pc, "pc"), "pc"), RelativeRiskReduction: Number(Required(args.Rrr, "rrr"), "rrr"))
            : new SequentialDesign(alpha, beta, heterogeneity, Spending(args),
                MeanDifference: Number(Required(args.Delta, "delta"), "delta"), StandardDeviation: Number(Required(args.Sd, "sd"), "sd"));
        if (TrialSequentialAnalysis.Problems(design) is [var (parameter, problem), ..])
            throw new UsageException(Message(parameter, problem));
        return (measure, design);
    }

    /// <summary>A problem with a parameter as a line naming its option: "--alpha must be ..." or "--t: ...".</summary>
    public static string Message(string parameter, string problem) =>
        problem.StartsWith(parameter + " ", StringComparison.Ordinal) ? $"--{problem}" : $"--{parameter}: {problem}";

    private static SpendingFunction Spending(TsaSettings args) => Required(args.Spending, "spending").ToLowerInvariant() switch
    {
        "obf" => SpendingFunction.OBrienFleming,
        "pocock" => SpendingFunction.Pocock,
        _ => throw new UsageException($"--spending must be OBF or Pocock, not '{args.Spending}'"),
    };

    private static HeterogeneityAdjustment Heterogeneity(string value) => value.ToLowerInvariant() switch
    {
        "d2" => new(HeterogeneityKind.D2),
        "i2" => new(HeterogeneityKind.I2),
        "none" => new(HeterogeneityKind.None),
        _ when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) => new(HeterogeneityKind.Fraction, fraction),
        _ => throw new UsageException($"--heterogeneity must be D2, I2, none or a fraction in [0, 1), not '{value}'"),
    };

    private static string Required(string? value, string option) =>
        value is { Length: > 0 } ? value : throw new UsageException($"--{option} is required");

    private static double Number(string value, string option) =>
        double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : throw new UsageException($"--{option} must be a number, not '{value}'");

    private static bool Given(TsaSettings args, string option) => option switch
    {
        "data" => args.Data is not null,
        "measure" => args.Measure is not null,
        "order" => args.Order is not null,
        "beta" => args.Beta is not null,
        "pc" => args.Pc is not null,
        "rrr" => args.Rrr is not null,
        "delta" => args.Delta is not null,
        "sd" => args.Sd is not null,
        "heterogeneity" => args.Heterogeneity is not null,
        _ => false,
    };
}
