using Evidence.Api.AuditTrail;
using Evidence.Api.Trials;
using Evidence.Domain.Trials;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>A trial: its field-level history (old -> new, who, when, why) and its status events.</summary>
public sealed class TrialModel(IQuerySession session) : WebPage
{
    public string ReviewId { get; private set; } = "";
    public Trial Trial { get; private set; } = null!;
    public IReadOnlyList<EventView> History { get; private set; } = [];

    /// <summary>The events that changed whether the trial is included.</summary>
    public IEnumerable<EventView> StatusEvents => History.Where(e => e.Data is TrialExcluded or TrialReinstated or TrialRetracted);

    public Task<IActionResult> OnGetAsync(string review, string trial, CancellationToken ct) => ShowAsync(async () =>
    {
        History = await AuditEndpoints.TrialHistoryAsync(review, trial, HttpContext, session, ct);
        Trial = await TrialEndpoints.Load(session, review, trial, ct);
        ReviewId = review;
    });
}
