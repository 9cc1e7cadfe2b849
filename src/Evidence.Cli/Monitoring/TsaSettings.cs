using System.ComponentModel;
using Spectre.Console.Cli;

namespace Evidence.Cli.Monitoring;

/// <summary>
/// The options of <c>evidence tsa</c>. Numbers and names are taken as text and read by
/// <see cref="TsaOptions"/>, so that a wrong value gets a message naming its option.
/// </summary>
public sealed class TsaSettings : CommandSettings
{
    /// <summary>
    /// The command line with <c>--t</c> (the reference's name for the information fractions) spelled
    /// as the parser takes it: a long option needs two letters, so <c>--t</c> is <c>-t</c> (<c>--fractions</c>).
    /// </summary>
    public static IReadOnlyList<string> Spelled(IReadOnlyList<string> args) => args.SelectMany(arg =>
        arg == "--t" ? ["-t"] : arg.StartsWith("--t=", StringComparison.Ordinal) ? ["-t", arg[4..]] : new[] { arg }).ToList();

    [CommandOption("--data <FILE>")]
    [Description("CSV file, one trial per row (metafor's columns), labelled by its 'study' (or 'trial') column")]
    public string? Data { get; set; }

    [CommandOption("--measure <MEASURE>")]
    [Description("Effect measure: RR, OR, RD (2x2 tables) or MD (means)")]
    public string? Measure { get; set; }

    [CommandOption("--order <COLUMN>")]
    [Description("Column whose values order the trials (a stable sort); file order without it")]
    public string? Order { get; set; }

    [CommandOption("--alpha <ALPHA>")]
    [Description("Two-sided type I error, e.g. 0.05 (for the RIS and the boundaries)")]
    public string? Alpha { get; set; }

    [CommandOption("--beta <BETA>")]
    [Description("Type II error, 1 - power, e.g. 0.2 (for the RIS)")]
    public string? Beta { get; set; }

    [CommandOption("--pc <RISK>")]
    [Description("Binary outcome: the anticipated control-group risk, e.g. 0.2")]
    public string? Pc { get; set; }

    [CommandOption("--rrr <REDUCTION>")]
    [Description("Binary outcome: the anticipated relative risk reduction, e.g. 0.25")]
    public string? Rrr { get; set; }

    [CommandOption("--delta <DIFFERENCE>")]
    [Description("Continuous outcome: the anticipated mean difference")]
    public string? Delta { get; set; }

    [CommandOption("--sd <SD>")]
    [Description("Continuous outcome: the anticipated standard deviation")]
    public string? Sd { get; set; }

    [CommandOption("--heterogeneity <H>")]
    [Description("Adjustment of the RIS: D2, I2, none, or a fraction in [[0, 1)")]
    public string? Heterogeneity { get; set; }

    [CommandOption("--spending <FUNCTION>")]
    [Description("Alpha-spending function: OBF (O'Brien-Fleming type) or Pocock (Pocock type)")]
    public string? Spending { get; set; }

    [CommandOption("--boundaries")]
    [Description("Boundaries alone, at the information fractions of --t")]
    public bool Boundaries { get; set; }

    [CommandOption("-t|--fractions <FRACTIONS>")]
    [Description("With --boundaries: the information fraction of each look, comma-separated, e.g. --t 0.2,0.4,1")]
    public string? T { get; set; }

    [CommandOption("--format <FORMAT>")]
    [Description("json (the reference's keys), or table: a readable report")]
    [DefaultValue("table")]
    public string Format { get; set; } = "table";
}
