using System.Security.Cryptography;
using Evidence.Domain.Access;
using Evidence.Domain.Outcomes;
using JasperFx.Core;

namespace Evidence.Domain.Reviews;

/// <summary>
/// An outcome of a review as it stands now; <see cref="Thresholds"/> and <see cref="Rules"/> are null until set (the defaults apply),
/// <see cref="Sequential"/> (its trial sequential analysis parameters) until set and after it is cleared.
/// </summary>
public sealed record Outcome(string Id, string Name, string DataType, AnalysisPlan Analysis,
    Judgement.DecisionThresholds? Thresholds = null, Judgement.SignalRules? Rules = null, Sequential.SequentialSettings? Sequential = null)
{
    /// <summary>The rules in force: those set, or <see cref="Judgement.SignalRules.Default"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public Judgement.SignalRules RulesInForce => (Rules ?? Judgement.SignalRules.Default).Resolved();
}

/// <summary>
/// A review as it stands after its events: the question, its outcomes, who may do what, and whether
/// everyone may read it. Kept as an inline Marten snapshot whose id is the stream key (the review id).
/// The user who creates a review is its first owner.
/// </summary>
public sealed record Review(
    string Id, string Title, string Question, string? Protocol,
    IReadOnlyDictionary<string, Outcome> Outcomes, long Version, DateTimeOffset CreatedAt, string CreatedBy,
    IReadOnlyDictionary<string, Role> Members, bool IsPublic)
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>
    /// A new review id chosen by the server: <c>r-</c> and 20 random letters or digits (about 103
    /// bits), so no one can guess another's review or collide with it.
    /// </summary>
    public static string NewId() => "r-" + RandomNumberGenerator.GetString(IdAlphabet, 20);

    // Marten folds this state through ReviewProjection, which calls Evolve. [JasperFxIgnore] keeps Marten's
    // conventions from also taking Evolve, Create and Apply as methods of their own.
    /// <summary>
    /// The review after one more event of its stream: the one fold of a review, used by its Marten
    /// state (<see cref="ReviewProjection"/>) and by every reader that replays a review's log.
    /// </summary>
    [JasperFxIgnore]
    public static Review Evolve(Review? current, IReviewEvent e) => e switch
    {
        ReviewCreated x => Create(x),
        OutcomeDefined x => current!.Apply(x),
        OutcomeAnalysisChanged x => current!.Apply(x),
        OutcomeThresholdsSet x => current!.Apply(x),
        OutcomeSignalRulesSet x => current!.Apply(x),
        OutcomeSequentialSet x => current!.Apply(x),
        MemberAdded x => current!.Apply(x),
        MemberRemoved x => current!.Apply(x),
        ReviewVisibilityChanged x => current!.Apply(x),
        _ => throw new UnknownEventException(e, nameof(Review)),
    };

    [JasperFxIgnore]
    public static Review Create(ReviewCreated e) =>
        new(e.ReviewId, e.Title, e.Question, e.Protocol, new Dictionary<string, Outcome>(), 1, e.Provenance.At, e.Provenance.By,
            new Dictionary<string, Role> { [e.Provenance.By] = Role.Owner }, false);

    [JasperFxIgnore]
    public Review Apply(MemberAdded e) =>
        this with { Members = new Dictionary<string, Role>(Members) { [e.User] = e.Role }, Version = Version + 1 };

    [JasperFxIgnore]
    public Review Apply(MemberRemoved e)
    {
        var members = new Dictionary<string, Role>(Members);
        members.Remove(e.User);
        return this with { Members = members, Version = Version + 1 };
    }

    [JasperFxIgnore]
    public Review Apply(ReviewVisibilityChanged e) => this with { IsPublic = e.IsPublic, Version = Version + 1 };

    /// <summary>The user's role, if a member.</summary>
    public Role? RoleOf(string user) => Members.TryGetValue(user, out var role) ? role : null;

    [JasperFxIgnore]
    public Review Apply(OutcomeDefined e) =>
        WithOutcome(new Outcome(e.OutcomeId, e.Name, e.DataType, e.Analysis));

    [JasperFxIgnore]
    public Review Apply(OutcomeAnalysisChanged e) =>
        WithOutcome(Outcomes[e.OutcomeId] with { Analysis = e.Analysis });

    [JasperFxIgnore]
    public Review Apply(OutcomeThresholdsSet e) =>
        WithOutcome(Outcomes[e.OutcomeId] with { Thresholds = e.Thresholds });

    [JasperFxIgnore]
    public Review Apply(OutcomeSignalRulesSet e) =>
        WithOutcome(Outcomes[e.OutcomeId] with { Rules = e.Rules });

    [JasperFxIgnore]
    public Review Apply(OutcomeSequentialSet e) =>
        WithOutcome(Outcomes[e.OutcomeId] with { Sequential = e.Settings });

    private Review WithOutcome(Outcome outcome) =>
        this with { Outcomes = new Dictionary<string, Outcome>(Outcomes) { [outcome.Id] = outcome }, Version = Version + 1 };
}
