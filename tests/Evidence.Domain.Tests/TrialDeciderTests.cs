using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

public class TrialDeciderTests
{
    private static readonly Reviews.Review Review = Given.StandardReview();

    private static RecordTrial Record(string outcome, Dictionary<string, double> values, int? year = 2020) =>
        new("he2020", year, "He J et al. 2020", null, new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>> { [outcome] = values });

    [Fact]
    public void RecordTrial_Should_KeepDataPerOutcome()
    {
        var e = TrialDecider.Handle(Review, null, Record("response", Given.Binary(16, 13, 9, 21)), Given.By);

        Assert.Equal(16, e.Data["response"]["ai"]);
        Assert.Equal("ld-il2", e.ReviewId);
    }

    public static TheoryData<string, Dictionary<string, double>, string> BadData => new()
    {
        { "response", Given.Binary(-1, 13, 9, 21), "data.response.ai" },
        { "response", Given.Binary(1.5, 13, 9, 21), "data.response.ai" },
        { "response", new() { ["ai"] = 1, ["bi"] = 2, ["ci"] = 3 }, "data.response.di" },
        { "response", new() { ["ai"] = 1, ["bi"] = 2, ["ci"] = 3, ["di"] = 4, ["xi"] = 1 }, "data.response.xi" },
        { "response", Given.Binary(double.NaN, 13, 9, 21), "data.response.ai" },
        { "response", Given.Binary(0, 0, 9, 21), "data.response.bi" },
        { "injection-site", new() { ["xi"] = 41, ["ni"] = 40 }, "data.injection-site.xi" },
        { "injection-site", new() { ["xi"] = 1, ["ni"] = double.PositiveInfinity }, "data.injection-site.ni" },
        { "treg", new() { ["m_pre"] = 8, ["sd_pre"] = 0, ["m_post"] = 20, ["sd_post"] = 14, ["ni"] = 35, ["ri"] = 0.5 }, "data.treg.sd_pre" },
        { "treg", new() { ["m_pre"] = 8, ["sd_pre"] = 7, ["m_post"] = 20, ["sd_post"] = -1, ["ni"] = 35, ["ri"] = 0.5 }, "data.treg.sd_post" },
        { "treg", new() { ["m_pre"] = 8, ["sd_pre"] = 7, ["m_post"] = 20, ["sd_post"] = 14, ["ni"] = 1, ["ri"] = 0.5 }, "data.treg.ni" },
        { "treg", new() { ["m_pre"] = 8, ["sd_pre"] = 7, ["m_post"] = 20, ["sd_post"] = 14, ["ni"] = 35, ["ri"] = 1.2 }, "data.treg.ri" },
        { "das28", Given.Binary(1, 2, 3, 4), "data.das28" },
    };

    [Theory]
    [MemberData(nameof(BadData))]
    public void RecordTrial_Should_NameTheBadField(string outcome, Dictionary<string, double> values, string path)
    {
        var ex = Assert.Throws<ValidationFailedException>(() => TrialDecider.Handle(Review, null, Record(outcome, values), Given.By));

        Assert.Contains(path, ex.Errors.Keys);
    }

    [Theory]
    [InlineData(1800)]
    [InlineData(2200)]
    [InlineData(null)]
    public void RecordTrial_Should_RejectAYearOutOfRange(int? year)
    {
        var ex = Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, null, Record("response", Given.Binary(1, 2, 3, 4), year), Given.By));

        Assert.Equal(["year"], ex.Errors.Keys);
    }

    [Fact]
    public void RecordTrial_Should_Conflict_When_TheTrialExists()
    {
        var trial = Given.Trial(Review, ("response", Given.Binary(1, 2, 3, 4)));

        Assert.Throws<ConflictException>(() => TrialDecider.Handle(Review, trial, Record("response", Given.Binary(1, 2, 3, 4)), Given.By));
    }

    [Fact]
    public void CorrectTrial_Should_RecordOldAndNewValue_PerField()
    {
        var trial = Given.Trial(Review, ("response", Given.Binary(20, 4, 15, 14)));
        var patch = new Dictionary<string, IReadOnlyDictionary<string, double>?>
        {
            ["response"] = new Dictionary<string, double> { ["ai"] = 34, ["bi"] = 16, ["ci"] = 15 },
            ["injection-site"] = new Dictionary<string, double> { ["xi"] = 3, ["ni"] = 50 },
        };

        var e = TrialDecider.Handle(Review, trial, new CorrectTrial(1, patch, new Dictionary<string, string?> { ["disease"] = "SLE", ["dose"] = "1 MIU" }, "ITT counts", "Humrich 2022"), Given.By);
        var corrected = trial.Apply(e);

        Assert.Equal(
            [new("injection-site", "ni", null, 50), new("injection-site", "xi", null, 3), new("response", "ai", 20, 34), new("response", "bi", 4, 16)],
            e.Data);
        Assert.Equal([new AttributeChange("dose", null, "1 MIU")], e.Attributes);
        Assert.Equal("ITT counts", e.Provenance.Reason);
        Assert.Equal("Humrich 2022", e.Provenance.Source);
        Assert.Equal(2, corrected.Version);
        Assert.Equal(34, corrected.Data["response"]["ai"]);
        Assert.Equal(50, corrected.Data["injection-site"]["ni"]);
    }

    [Fact]
    public void CorrectTrial_Should_RemoveAnOutcomesData_When_ItIsNull()
    {
        var trial = Given.Trial(Review, ("response", Given.Binary(20, 4, 15, 14)));

        var e = TrialDecider.Handle(Review, trial,
            new CorrectTrial(1, new Dictionary<string, IReadOnlyDictionary<string, double>?> { ["response"] = null }, new Dictionary<string, string?>(), "wrong outcome", null), Given.By);

        Assert.All(e.Data, c => Assert.Null(c.New));
        Assert.Empty(trial.Apply(e).Data);
    }

    [Fact]
    public void CorrectTrial_Should_Fail_Without_AReason_OrWith_AStaleVersion_OrWith_NoChange()
    {
        var trial = Given.Trial(Review, ("response", Given.Binary(20, 4, 15, 14)));
        var patch = new Dictionary<string, IReadOnlyDictionary<string, double>?> { ["response"] = new Dictionary<string, double> { ["ai"] = 21 } };
        var same = new Dictionary<string, IReadOnlyDictionary<string, double>?> { ["response"] = new Dictionary<string, double> { ["ai"] = 20 } };
        var noAttributes = new Dictionary<string, string?>();

        Assert.Contains("reason", Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, trial, new CorrectTrial(1, patch, noAttributes, null, null), Given.By)).Errors.Keys);
        var stale = Assert.Throws<VersionMismatchException>(() =>
            TrialDecider.Handle(Review, trial, new CorrectTrial(7, patch, noAttributes, "r", null), Given.By));
        Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, trial, new CorrectTrial(1, same, noAttributes, "r", null), Given.By));
        Assert.Equal(1, stale.Actual);
    }

    [Fact]
    public void ExcludeReinstateRetract_Should_FollowTheTrialsStatus()
    {
        var trial = Given.Trial(Review, ("response", Given.Binary(20, 4, 15, 14)));

        var excluded = trial.Apply(TrialDecider.Handle(trial, new ExcludeTrial(1, "not randomised"), Given.By));
        var reinstated = excluded.Apply(TrialDecider.Handle(excluded, new ReinstateTrial(2, "randomised after all"), Given.By));
        var retracted = reinstated.Apply(TrialDecider.Handle(reinstated, new RetractTrial(3, "data fabricated", "Retraction notice 2024"), Given.By));

        Assert.Equal((TrialStatus.Excluded, "not randomised"), (excluded.Status, excluded.StatusReason));
        Assert.Equal(TrialStatus.Included, reinstated.Status);
        Assert.Equal((TrialStatus.Retracted, "Retraction notice 2024", 4L), (retracted.Status, retracted.RetractionNotice, retracted.Version));
        Assert.Throws<ConflictException>(() => TrialDecider.Handle(trial, new ReinstateTrial(1, "r"), Given.By));
        Assert.Throws<ConflictException>(() => TrialDecider.Handle(retracted, new RetractTrial(4, "again", null), Given.By));
        Assert.Throws<ConflictException>(() => TrialDecider.Handle(Review, retracted,
            new CorrectTrial(4, new Dictionary<string, IReadOnlyDictionary<string, double>?> { ["response"] = new Dictionary<string, double> { ["ai"] = 1 } }, new Dictionary<string, string?>(), "r", null), Given.By));
        Assert.Throws<ValidationFailedException>(() => TrialDecider.Handle(trial, new ExcludeTrial(1, ""), Given.By));
    }
}
