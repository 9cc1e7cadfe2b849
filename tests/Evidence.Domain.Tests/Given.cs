using Evidence.Domain.Reviews;
using Evidence.Domain.Trials;

namespace Evidence.Domain.Tests;

/// <summary>States built from events, as Marten would build them.</summary>
internal static class Given
{
    public static readonly Provenance By = new("alice", new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), "corr-1");

    public static Review Review(params OutcomeDefined[] outcomes)
    {
        var review = Reviews.Review.Create(new ReviewCreated("ld-il2", "LD-IL-2", "Does it work?", null, By));
        return outcomes.Aggregate(review, (r, e) => r.Apply(e));
    }

    public static OutcomeDefined Outcome(string id, string dataType, string measure, string method = "REML", string? subgroup = null) =>
        ReviewDecider.Handle(Review(), new DefineOutcome(id, id, dataType, measure, method, "z", subgroup, null), By);

    public static Review StandardReview() => Review(
        Outcome("response", "binary", "OR"),
        Outcome("treg", "prepost", "SMCR", subgroup: "disease"),
        Outcome("injection-site", "proportion", "PLO"));

    public static Dictionary<string, double> Binary(double ai, double bi, double ci, double di) =>
        new() { ["ai"] = ai, ["bi"] = bi, ["ci"] = ci, ["di"] = di };

    public static Trial Trial(Review review, params (string Outcome, Dictionary<string, double> Values)[] data)
    {
        var command = new RecordTrial("he2020", 2020, "He J et al. 2020", null,
            new Dictionary<string, string> { ["disease"] = "SLE" },
            data.ToDictionary(d => d.Outcome, d => (IReadOnlyDictionary<string, double>)d.Values));
        return Domain.Trials.Trial.Create(TrialDecider.Handle(review, null, command, By));
    }
}
