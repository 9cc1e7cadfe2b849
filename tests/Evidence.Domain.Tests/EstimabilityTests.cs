using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>What the measure can never use is rejected before it is stored; what it cannot estimate for now gives a version that says so.</summary>
public sealed class EstimabilityTests
{
    private static Dictionary<string, double> Means(double m1, double m2) =>
        new() { ["m1i"] = m1, ["sd1i"] = 1.5, ["n1i"] = 12, ["m2i"] = m2, ["sd2i"] = 1.2, ["n2i"] = 11 };

    private static RecordTrial Record(string id, string outcome, Dictionary<string, double> values) =>
        new(id, 2021, $"{id} et al.", null, new Dictionary<string, string>(), new Dictionary<string, IReadOnlyDictionary<string, double>> { [outcome] = values });

    [Fact]
    public void RecordingAZeroMean_Should_BeRejected_UnderARatioOfMeans_NamingTheField()
    {
        var review = Given.Review(Given.Outcome("das28", "continuous", "ROM"));

        var error = Assert.Throws<ValidationFailedException>(() => TrialDecider.Handle(review, null, Record("t1", "das28", Means(0, 4)), Given.By));

        Assert.Contains("data.das28.m1i", error.Errors.Keys);
        Assert.Contains("ROM", error.Errors["data.das28.m1i"][0]);
    }

    [Fact]
    public void CorrectingAMeanToZero_Should_BeRejected_UnderARatioOfMeans()
    {
        var review = Given.Review(Given.Outcome("das28", "continuous", "ROM"));
        var trial = Trial.Create(TrialDecider.Handle(review, null, Record("t1", "das28", Means(3, 4)), Given.By));
        var patch = new Dictionary<string, IReadOnlyDictionary<string, double>?> { ["das28"] = new Dictionary<string, double> { ["m2i"] = -1 } };

        var error = Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(review, trial, new CorrectTrial(1, patch, new Dictionary<string, string?>(), "typo", null), Given.By));

        Assert.Contains("data.das28.m2i", error.Errors.Keys);
    }

    [Fact]
    public void ChangingToAMeasureATrialCannotUse_Should_BeRejected_NamingTheTrial()
    {
        var review = Given.Review(Given.Outcome("das28", "continuous", "MD"));
        var trial = Trial.Create(TrialDecider.Handle(review, null, Record("t1", "das28", Means(0, 4)), Given.By));
        var command = new ChangeOutcomeAnalysis("das28", "ROM", null, null, null, null, "protocol v2");

        var error = Assert.Throws<ValidationFailedException>(() => ReviewDecider.Handle(review, command, Given.By, [trial]));

        Assert.Contains("t1", error.Errors["measure"][0]);
        Assert.Equal("ROM", ReviewDecider.Handle(review, command, Given.By, [trial with { Status = TrialStatus.Retracted }]).Analysis.Measure);
    }

    [Fact]
    public void DataTheMeasureCannotUse_Should_GiveAVersionThatIsNotEstimable_NotAnException()
    {
        // Recorded under MD, then read under ROM, as when the two commands race.
        var inputs = new OutcomeInputs("r", "das28", "continuous", new Outcomes.AnalysisPlan("ROM", "REML", "z", null, "year"),
            [new StudyInput("t1", 1, 2020, Means(0, 4), null, "2020"), new StudyInput("t2", 1, 2021, Means(3, 4), null, "2021")], []);

        var analyzed = new OutcomeAnalyzer().Analyze(inputs);

        Assert.False(analyzed.Summary.Estimable);
        Assert.Equal(2, analyzed.Summary.K);
        Assert.Null(analyzed.Summary.Estimate);
        Assert.False(analyzed.Result.GetProperty("estimable").GetBoolean());
        Assert.Equal("t1", analyzed.Result.GetProperty("involved")[0].GetString());
        Assert.Contains("m1i", analyzed.Result.GetProperty("reason").GetString());
    }

    [Fact]
    public void EveryTableWithoutEvents_Should_GiveAVersionThatIsNotEstimable()
    {
        var inputs = new OutcomeInputs("r", "ae", "binary", new Outcomes.AnalysisPlan("OR", "MH", "z", null, "year"),
            [new StudyInput("t1", 1, 2020, Given.Binary(0, 10, 0, 12), null, "2020"), new StudyInput("t2", 1, 2021, Given.Binary(0, 8, 0, 9), null, "2021")], []);

        var analyzed = new OutcomeAnalyzer().Analyze(inputs);

        Assert.False(analyzed.Summary.Estimable);
        Assert.Equal(0, analyzed.Result.GetProperty("q_df").GetInt32());
        Assert.Equal(ChangeFlags.None, ChangeFlags.Between(analyzed.Summary, analyzed.Summary));
    }
}
