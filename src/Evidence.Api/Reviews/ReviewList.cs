using System.Text.Json.Serialization;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;

namespace Evidence.Api.Reviews;

/// <summary>
/// An outcome's newest version in a list: its headline on the analysis scale, and on the natural
/// scale (the back-transformed values, or the analysis-scale ones where the measure has no transform).
/// </summary>
public sealed record LatestEstimate(
    long Version, int K, bool Estimable, double? Estimate, double? CiLower, double? CiUpper,
    double? NaturalEstimate, double? NaturalCiLower, double? NaturalCiUpper, double? Tau2, double? I2)
{
    public static LatestEstimate From(SnapshotHead head)
    {
        var s = head.Summary;
        var natural = s.Natural();
        return new(head.Version, s.K, s.Estimable, s.Estimate, s.CiLower, s.CiUpper, natural.Estimate, natural.CiLower, natural.CiUpper, s.Tau2, s.I2);
    }
}

/// <summary>An outcome in a list of reviews, with its newest version; <see cref="Latest"/> is null until it has one.</summary>
public sealed record OutcomeListItem(string Id, string Name, string DataType, string Measure,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] LatestEstimate? Latest);

/// <summary>A review the caller can see; <see cref="Role"/> is the caller's in it, null when they are not a member.</summary>
public sealed record ReviewListItem(string Id, string Title, string Question, bool IsPublic,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] Role? Role, IReadOnlyList<OutcomeListItem> Outcomes)
{
    public static ReviewListItem From(Review review, string? user, IReadOnlyDictionary<string, SnapshotHead> heads) =>
        new(review.Id, review.Title, review.Question, review.IsPublic, user is null ? null : review.RoleOf(user),
            review.Outcomes.Values.OrderBy(o => o.Id, StringComparer.Ordinal)
                .Select(o => new OutcomeListItem(o.Id, o.Name, o.DataType, o.Analysis.Measure,
                    heads.TryGetValue(SnapshotHead.DocumentId(review.Id, o.Id), out var head) ? LatestEstimate.From(head) : null))
                .ToList());
}

/// <summary>One page of reviews in id order; pass <see cref="Next"/> back as <c>after</c> for the next page (null on the last).</summary>
public sealed record ReviewPage(IReadOnlyList<ReviewListItem> Reviews,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Next);
