using System.Text.Json;
using Evidence.Domain.Outcomes;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Validation;
using Evidence.Statistics;

namespace Evidence.Domain.Tests;

/// <summary>An outcome's convention preset: metafor unless chosen, revman5 on request, its switch an event of its own.</summary>
public class ConventionsTests
{
    [Fact]
    public void DefineOutcome_Should_RecordTheRevMan5Preset_AndGiveItToTheEngine()
    {
        var defined = ReviewDecider.Handle(Given.Review(), new DefineOutcome("death", "Death", "binary", "OR", "MH", null, null, null, "revman5"), Given.By);

        Assert.Equal("revman5", defined.Analysis.Conventions);
        Assert.Equal(Conventions.RevMan5, defined.Analysis.ToSettings().Conventions);
    }

    [Fact]
    public void DefineOutcome_Should_DefaultToMetafor()
    {
        var defined = ReviewDecider.Handle(Given.Review(), new DefineOutcome("death", "Death", "binary", "OR", "MH", null, null, null), Given.By);

        Assert.Equal("metafor", defined.Analysis.Conventions);
        Assert.Equal(Conventions.Metafor, defined.Analysis.ToSettings().Conventions);
    }

    [Theory]
    [InlineData("cochrane", "REML", null, "must be 'metafor' or 'revman5'.")]
    [InlineData("revman5", "REML", null, "revman5 pools with FE, DL, MH or PETO, not REML.")]
    [InlineData("revman5", "DL", "knha", "revman5 uses the z test, not the Knapp-Hartung test.")]
    public void Validate_Should_NameConventions_WhenThePresetDoesNotFit(string conventions, string method, string? test, string message)
    {
        var errors = new FieldErrors();
        AnalysisPlan.Validate(errors, "", DataType.Binary, "RR", method, test, null, null, conventions);

        Assert.Equal([message], errors.ToDictionary()["conventions"]);
    }

    [Fact]
    public void ChangeOutcomeAnalysis_Should_SwitchThePreset_AsAnEventThatShowsBothPlans()
    {
        var review = Review.Evolve(Given.Review(), ReviewDecider.Handle(Given.Review(), new DefineOutcome("death", "Death", "binary", "RR", "DL", null, null, null), Given.By));

        var changed = ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("death", null, null, null, null, null, "as RevMan 5 pooled it", "revman5"), Given.By);

        Assert.Equal("metafor", changed.Previous.Conventions);
        Assert.Equal("revman5", changed.Analysis.Conventions);
        Assert.Equal(changed.Previous with { Conventions = "revman5" }, changed.Analysis);
    }

    [Fact]
    public void AnalysisPlan_Should_ReadBackAsMetafor_FromAnEventWrittenBeforePresets()
    {
        var plan = JsonSerializer.Deserialize<AnalysisPlan>("""{"measure":"OR","method":"MH","test":"z","subgroup":null,"order":"year"}""",
            new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

        Assert.Equal("metafor", plan.Conventions);
    }

    [Fact]
    public void InputsHash_Should_BeUnchangedByTheDefaultPreset_AndChangedByRevMan5()
    {
        OutcomeInputs Inputs(string conventions) => new("r", "o", "binary", new AnalysisPlan("OR", "MH", "z", null, "year", conventions), [], []);
        var beforePresets = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            [.. JsonSerializer.SerializeToUtf8Bytes(new { DataType = "binary", Settings = new { Measure = "OR", Method = "MH", Test = "z", Subgroup = (string?)null, Order = "year" } }),
             .. new byte[16]]));

        Assert.Equal(beforePresets, Inputs("metafor").Hash());
        Assert.NotEqual(Inputs("metafor").Hash(), Inputs("revman5").Hash());
    }
}
