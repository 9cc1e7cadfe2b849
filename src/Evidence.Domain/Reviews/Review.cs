using Evidence.Domain.Outcomes;

namespace Evidence.Domain.Reviews;

/// <summary>An outcome of a review as it stands now.</summary>
public sealed record Outcome(string Id, string Name, string DataType, AnalysisSettings Analysis);

/// <summary>
/// A review as it stands after its events: the question and its outcomes. Kept as an inline Marten
/// snapshot whose id is the stream key (the review id).
/// </summary>
public sealed record Review(
    string Id, string Title, string Question, string? Protocol,
    IReadOnlyDictionary<string, Outcome> Outcomes, long Version, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static Review Create(ReviewCreated e) =>
        new(e.ReviewId, e.Title, e.Question, e.Protocol, new Dictionary<string, Outcome>(), 1, e.Provenance.At, e.Provenance.By);

    public Review Apply(OutcomeDefined e) =>
        WithOutcome(new Outcome(e.OutcomeId, e.Name, e.DataType, e.Analysis));

    public Review Apply(OutcomeAnalysisChanged e) =>
        WithOutcome(Outcomes[e.OutcomeId] with { Analysis = e.Analysis });

    private Review WithOutcome(Outcome outcome) =>
        this with { Outcomes = new Dictionary<string, Outcome>(Outcomes) { [outcome.Id] = outcome }, Version = Version + 1 };
}
