using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>A batch is decided all or none, its errors named by the trial's index.</summary>
public class TrialBatchDeciderTests
{
    private static readonly Reviews.Review Review = Given.StandardReview();

    private static RecordTrial Record(string id, Dictionary<string, double> values, int? year = 2020) =>
        new(id, year, "He J et al. 2020", null, new Dictionary<string, string>(),
            new Dictionary<string, IReadOnlyDictionary<string, double>> { ["response"] = values });

    [Fact]
    public void RecordTrials_Should_GiveEachTrialItsEvent_MarkedWithTheBatch()
    {
        var id = Guid.NewGuid();
        var events = TrialDecider.Handle(Review, new HashSet<string>(), new RecordTrials(
            [Record("a2019", Given.Binary(1, 2, 3, 4)), Record("b2020", Given.Binary(5, 6, 7, 8))], " imported "), Given.By, id);

        Assert.Equal(["a2019", "b2020"], events.Select(e => e.TrialId));
        Assert.Equal([new TrialBatch(id, 0, 2), new TrialBatch(id, 1, 2)], events.Select(e => e.Batch));
        Assert.All(events, e => Assert.Equal("imported", e.Provenance.Reason));
    }

    [Fact]
    public void RecordTrials_Should_NameEveryErrorByIndex_DuplicatesAndExistingTrialsIncluded()
    {
        var command = new RecordTrials(
        [
            Record("a2019", Given.Binary(1, 2, 3, 4)),
            Record("b2020", Given.Binary(-1, 2, 3, 4), year: null),
            Record("a2019", Given.Binary(1, 2, 3, 4)),
            Record("old", Given.Binary(1, 2, 3, 4)),
        ], null);

        var error = Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, new HashSet<string> { "old" }, command, Given.By, Guid.NewGuid()));

        Assert.Equal(["trials[1].data.response.ai", "trials[1].year", "trials[2].id", "trials[3].id"], error.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("trials[0]", error.Errors["trials[2].id"].Single());
    }

    [Fact]
    public void RecordTrials_Should_RefuseAnEmptyBatch_AndOneOverTheLimit()
    {
        var empty = Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, new HashSet<string>(), new RecordTrials([], null), Given.By, Guid.NewGuid()));
        var many = Enumerable.Range(0, TrialDecider.MaxBatch + 1).Select(n => Record($"t{n}", Given.Binary(1, 2, 3, 4))).ToList();
        var over = Assert.Throws<ValidationFailedException>(() =>
            TrialDecider.Handle(Review, new HashSet<string>(), new RecordTrials(many, null), Given.By, Guid.NewGuid()));

        Assert.Equal(["trials"], empty.Errors.Keys);
        Assert.Equal(["trials"], over.Errors.Keys);
    }
}
