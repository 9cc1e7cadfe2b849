namespace Evidence.Cli.Importing.RevMan;

/// <summary>RevMan's names of effect measures, in the short form the rm5 attribute uses.</summary>
public static class RevManMeasures
{
    private static readonly Dictionary<string, string> Long = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Odds Ratio"] = "OR", ["Risk Ratio"] = "RR", ["Risk Difference"] = "RD", ["Peto Odds Ratio"] = "PETO_OR",
        ["Mean Difference"] = "MD", ["Standardized Mean Difference"] = "SMD", ["Std. Mean Difference"] = "SMD",
        ["Standardised Mean Difference"] = "SMD", ["Hazard Ratio"] = "HR",
    };

    /// <summary>The short form of <paramref name="measure"/> (<c>Odds Ratio</c> → <c>OR</c>); the text itself when it has none.</summary>
    public static string? Short(string? measure)
    {
        if (measure?.Trim() is not { Length: > 0 } text)
            return null;
        return Long.TryGetValue(text, out var code) ? code : text.ToUpperInvariant() is "OR" or "RR" or "RD" or "PETO_OR" or "MD" or "SMD" or "HR" ? text.ToUpperInvariant() : text;
    }

    /// <summary>Whether the measure is a ratio, pooled on the log scale and stored on the natural one.</summary>
    public static bool IsRatio(string? measure) => measure is "OR" or "RR" or "PETO_OR" or "HR";

    /// <summary>The long form the data package writes (<c>OR</c> → <c>Odds Ratio</c>).</summary>
    public static string LongName(string measure) => Long.FirstOrDefault(p => p.Value == measure).Key ?? measure;
}
