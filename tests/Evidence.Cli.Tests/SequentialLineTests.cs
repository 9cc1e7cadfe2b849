using System.Text.Json;
using Evidence.Cli.Reporting;

namespace Evidence.Cli.Tests;

/// <summary>The report's one line per version with a sequential section, read from the section as the API writes it (camelCase, nulls left out).</summary>
public class SequentialLineTests
{
    [Fact]
    public void AnInterimLook_Should_ReadAsParticipantsOfTheRis_ZAgainstItsBoundary_AndAlphaSpent()
    {
        var line = ReportCommand.SequentialLine(Section("D2", 0.3125, 1032.4, 412, """{"version":2,"participants":412,"t":0.39907,"z":2.4112,"lookType":"interim","boundary":3.6191,"crossed":false,"alphaSpent":0.00213}"""));

        Assert.Equal("TSA: 412 of 1,032 participants (RIS, D² 0.31) = 40%; Z 2.41, boundary 3.62 (interim), not crossed; alpha spent 0.0021", line);
    }

    [Fact]
    public void ALookWithoutABoundary_Should_SaySo_AndTinyAlphaInScientificNotation()
    {
        var line = ReportCommand.SequentialLine(Section("none", 0, 980, 59, """{"version":1,"participants":59,"t":0.0602,"z":1.83,"lookType":"none","crossed":false,"alphaSpent":0}"""));
        var early = ReportCommand.SequentialLine(Section("I2", 0.45, 2000, 240, """{"version":1,"participants":240,"t":0.12,"z":1.2,"lookType":"interim","boundary":6.41,"crossed":false,"alphaSpent":1.4e-10}"""));

        Assert.Equal("TSA: 59 of 980 participants (RIS, no heterogeneity adjustment) = 6%; Z 1.83, no boundary at this look; alpha spent 0.0000", line);
        Assert.Equal("TSA: 240 of 2,000 participants (RIS, I² 0.45) = 12%; Z 1.20, boundary 6.41 (interim), not crossed; alpha spent 1.4E-10", early);
    }

    [Fact]
    public void ALookPastTheRis_Should_ShowMoreThanAHundredPercent_AndTheCrossing()
    {
        var line = ReportCommand.SequentialLine(Section("0.5", 0.5, 565.1, 1158, """{"version":9,"participants":1158,"t":2.0491,"z":-2.7272,"lookType":"post_final","boundary":2.1876,"crossed":true,"alphaSpent":0.05}"""));

        Assert.Equal("TSA: 1,158 of 565 participants (RIS, heterogeneity 0.50 given) = 205%; Z -2.73, boundary 2.19 (post_final), crossed; alpha spent 0.0500", line);
    }

    [Fact]
    public void ASectionWithoutARis_Should_SayWhy()
    {
        var section = JsonDocument.Parse("""
            {"settings":{"alpha":0.05,"beta":0.2,"heterogeneity":"D2","spending":"OBF","pooledControlRisk":true,"relativeRiskReduction":0.3},
             "ris":0,"risAdjusted":0,"d2":0,"i2":0,"tau2":0,"heterogeneityFraction":0,"participants":60,"risReached":false,"looks":[],
             "note":"the pooled control risk is 0"}
            """).RootElement;

        Assert.Equal("TSA: no required information size (the pooled control risk is 0)", ReportCommand.SequentialLine(section));
    }

    private static JsonElement Section(string heterogeneity, double fraction, double ris, double participants, string look) =>
        JsonDocument.Parse($$"""
            {"settings":{"alpha":0.05,"beta":0.2,"heterogeneity":"{{heterogeneity}}","spending":"OBF","pooledControlRisk":true,"relativeRiskReduction":-0.3},
             "ris":700,"risAdjusted":{{ris}},"d2":0.31,"i2":0.3,"tau2":0.02,"heterogeneityFraction":{{fraction}},"participants":{{participants}},"risReached":false,
             "looks":[{{look}}]}
            """).RootElement;
}
