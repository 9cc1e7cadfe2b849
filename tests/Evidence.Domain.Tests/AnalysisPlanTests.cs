using Evidence.Domain.Outcomes;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Tests;

/// <summary>An outcome's analysis plan is checked against the measure catalogue, with the messages reviews have always had.</summary>
public class AnalysisPlanTests
{
    private static Dictionary<string, string[]> Errors(DataType type, string? measure, string? method, string? test = null)
    {
        var errors = new FieldErrors();
        AnalysisPlan.Validate(errors, "", type, measure, method, test, null, null);
        return errors.ToDictionary().ToDictionary();
    }

    [Theory]
    [InlineData("binary", "OR", "MH", "z")]
    [InlineData("binary", "RD", "MH", null)]
    [InlineData("binary", "PETO", "PETO", null)]
    [InlineData("binary", "OR", "PETO", null)]
    [InlineData("continuous", "ROM", "REML", "knha")]
    [InlineData("prepost", "SMCC", "EB", null)]
    [InlineData("proportion", "PFT", "FE", null)]
    [InlineData("generic", "GEN", "SJ", "knha")]
    public void Validate_Should_Accept_APlanTheCataloguePools(string type, string measure, string method, string? test) =>
        Assert.Empty(Errors(DataType.Find(type)!, measure, method, test));

    [Theory]
    [InlineData("binary", "SMD", "REML", "measure", "'SMD' does not suit binary data; use one of OR, RR, RD, PETO.")]
    [InlineData("prepost", "MD", "REML", "measure", "'MD' does not suit prepost data; use one of MC, SMCR, SMCC.")]
    [InlineData("binary", "OR", "BOGUS", "method", "must be one of FE, DL, REML, PM, ML, HE, SJ, EB, MH, PETO.")]
    [InlineData("prepost", "SMCR", "MH", "method", "MH needs binary data with measure OR, RR or RD.")]
    [InlineData("binary", "PETO", "MH", "method", "MH needs binary data with measure OR, RR or RD.")]
    [InlineData("binary", "RR", "PETO", "method", "PETO needs binary data with measure OR or PETO.")]
    [InlineData("proportion", "PLO", "PETO", "method", "PETO needs binary data with measure OR or PETO.")]
    [InlineData("binary", "PETO", "REML", "method", "measure PETO is pooled with method PETO.")]
    [InlineData("binary", null, "REML", "measure", "is required.")]
    public void Validate_Should_NameWhatDoesNotFit(string type, string? measure, string method, string field, string message) =>
        Assert.Contains(message, Errors(DataType.Find(type)!, measure, method)[field]);

    [Fact]
    public void Validate_Should_RefuseKnappHartung_ForCountMethods_AndUnknownTests()
    {
        Assert.Equal(["the Knapp-Hartung test does not apply to MH, which pools the raw counts."], Errors(DataType.Binary, "OR", "MH", "knha")["test"]);
        Assert.Equal(["must be 'z' or 'knha'."], Errors(DataType.Binary, "OR", "DL", "t")["test"]);
    }

    [Fact]
    public void ToSettings_Should_GiveTheEngineTheSameChoices()
    {
        var settings = new AnalysisPlan("PFT", "PM", "knha", "disease", "year").ToSettings();

        Assert.Equal((Measure.PFT, Method.PM, Test.Knha, "disease"), (settings.Measure, settings.Method, settings.Test, settings.Subgroup));
        Assert.Null(new AnalysisPlan("OR", "MH", "z", null, "year").ToSettings().Subgroup);
    }
}
