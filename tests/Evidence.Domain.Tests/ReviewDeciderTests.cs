using Evidence.Domain.Reviews;

namespace Evidence.Domain.Tests;

public class ReviewDeciderTests
{
    [Fact]
    public void CreateReview_Should_RecordWhoAndWhen()
    {
        var e = ReviewDecider.Handle(null, new CreateReview("ld-il2", "LD-IL-2", "Does LD-IL-2 raise Tregs?", "CRD42022"), Given.By);

        Assert.Equal("ld-il2", e.ReviewId);
        Assert.Equal("alice", e.Provenance.By);
        Assert.Equal("CRD42022", e.Protocol);
    }

    [Fact]
    public void NewId_Should_BeAReviewSlug_DifferentEachTime()
    {
        var ids = Enumerable.Range(0, 100).Select(_ => Review.NewId()).ToList();

        Assert.All(ids, id => Assert.True(Validation.Rules.IsSlug(id), id));
        Assert.All(ids, id => Assert.Matches("^r-[a-z0-9]{20}$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void CreateReview_Should_NameEveryBadField()
    {
        var ex = Assert.Throws<ValidationFailedException>(() =>
            ReviewDecider.Handle(null, new CreateReview("Not A Slug", "", new string('x', 5000), null), Given.By));

        Assert.Equal(["id", "question", "title"], ex.Errors.Keys.Order());
    }

    [Fact]
    public void CreateReview_Should_Conflict_When_ItExists()
    {
        Assert.Throws<ConflictException>(() =>
            ReviewDecider.Handle(Given.Review(), new CreateReview("ld-il2", "t", "q", null), Given.By));
    }

    [Theory]
    [InlineData("binary", "SMD", "REML", "measure")]
    [InlineData("prepost", "SMCR", "MH", "method")]
    [InlineData("binary", "OR", "BOGUS", "method")]
    [InlineData("proportion", "PLO", "PETO", "method")]
    [InlineData("spreadsheet", "OR", "DL", "dataType")]
    public void DefineOutcome_Should_Reject_SettingsThatDoNotSuitTheDataType(string type, string measure, string method, string field)
    {
        var ex = Assert.Throws<ValidationFailedException>(() =>
            ReviewDecider.Handle(Given.Review(), new DefineOutcome("treg", "Treg", type, measure, method, null, null, null), Given.By));

        Assert.Contains(field, ex.Errors.Keys);
    }

    [Fact]
    public void DefineOutcome_Should_DefaultTestAndOrder()
    {
        var e = ReviewDecider.Handle(Given.Review(), new DefineOutcome("treg", "Treg", "prepost", "SMCR", "REML", null, "disease", null), Given.By);

        Assert.Equal(new("SMCR", "REML", "z", "disease", "year"), e.Analysis);
    }

    [Fact]
    public void DefineOutcome_Should_Conflict_When_TheIdIsTaken()
    {
        var review = Given.StandardReview();

        Assert.Throws<ConflictException>(() =>
            ReviewDecider.Handle(review, new DefineOutcome("treg", "Treg", "prepost", "SMCR", "REML", null, null, null), Given.By));
    }

    [Fact]
    public void ChangeOutcomeAnalysis_Should_KeepPreviousSettings_And_RequireAReason()
    {
        var review = Given.StandardReview();

        var e = ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("treg", null, "DL", "knha", null, null, "protocol v2"), Given.By);
        var noReason = Assert.Throws<ValidationFailedException>(() =>
            ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("treg", null, "DL", null, null, null, " "), Given.By));

        Assert.Equal(new("SMCR", "DL", "knha", "disease", "year"), e.Analysis);
        Assert.Equal("REML", e.Previous.Method);
        Assert.Equal("protocol v2", e.Provenance.Reason);
        Assert.Contains("reason", noReason.Errors.Keys);
    }

    [Fact]
    public void ChangeOutcomeAnalysis_Should_Fail_For_AnUnknownOutcome_Or_NoChange()
    {
        var review = Given.StandardReview();

        Assert.Throws<NotFoundException>(() =>
            ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("das28", null, "DL", null, null, null, "r"), Given.By));
        Assert.Throws<ValidationFailedException>(() =>
            ReviewDecider.Handle(review, new ChangeOutcomeAnalysis("treg", "SMCR", "REML", null, null, null, "r"), Given.By));
    }

    [Fact]
    public void Review_Should_CountItsVersion_ByEvents()
    {
        Assert.Equal(4, Given.StandardReview().Version);
    }
}
