using Evidence.Api.Reviews;
using Evidence.Domain.Judgement;
using Evidence.Domain.Snapshots;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>A review: its outcomes with the latest estimate, the latest version's signals and the estimate's history.</summary>
public sealed class ReviewModel(IQuerySession session) : WebPage
{
    public ReviewListItem Review { get; private set; } = null!;

    /// <summary>The signals of each outcome's latest version, by outcome id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Signal>> Signals { get; private set; } = new Dictionary<string, IReadOnlyList<Signal>>();

    public Task<IActionResult> OnGetAsync(string review, CancellationToken ct) => ShowAsync(async () =>
    {
        Review = await ReviewListEndpoints.OneAsync(HttpContext, session, review, ct);
        var ids = Review.Outcomes.Where(o => o.Latest is not null).Select(o => Snapshot.DocumentId(Review.Id, o.Id, o.Latest!.Version)).ToArray();
        var latest = ids.Length == 0 ? [] : await session.LoadManyAsync<Snapshot>(ct, ids);
        Signals = latest.ToDictionary(s => s.OutcomeId, s => s.Signals ?? [], StringComparer.Ordinal);
    });
}
