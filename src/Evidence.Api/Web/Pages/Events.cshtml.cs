using System.Globalization;
using Evidence.Api.AuditTrail;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>A review's audit log, filtered as the API filters it (trial, type, from, to; paged by <c>after</c>).</summary>
public sealed class EventsModel(IQuerySession session) : WebPage
{
    public string ReviewId { get; private set; } = "";
    public AuditEndpoints.AuditPage Found { get; private set; } = new([], null);

    [BindProperty(SupportsGet = true)] public string? Trial { get; set; }
    [BindProperty(SupportsGet = true)] public string? Type { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public long? After { get; set; }

    public Task<IActionResult> OnGetAsync(string review, CancellationToken ct) => ShowAsync(async () =>
    {
        ReviewId = review;
        var errors = new Domain.Validation.FieldErrors();
        var from = Day(errors, "from", From);
        var to = Day(errors, "to", To);
        // The review is looked up first, so a review the visitor cannot see is not found whatever the filters say.
        await Api.Reviews.ReviewListEndpoints.OneAsync(HttpContext, session, review, ct);
        errors.ThrowIfAny();
        Found = await AuditEndpoints.EventsAsync(review, After, 100, Empty(Trial), Empty(Type), from, to, HttpContext, session, ct);
    });

    public IEnumerable<string> Types => AuditEndpoints.EventTypeNames;

    /// <summary>The address of the next page, with the same filters.</summary>
    public string NextPage(long next) =>
        $"/ui/reviews/{ReviewId}/events?" + string.Join("&", new[] { ("trial", Trial), ("type", Type), ("from", From), ("to", To), ("after", next.ToString(CultureInfo.InvariantCulture)) }
            .Where(p => !string.IsNullOrEmpty(p.Item2)).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}"));

    private static string? Empty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>A date of the form (the start of that day, UTC) or a full timestamp as the API takes it.</summary>
    private static DateTimeOffset? Day(Domain.Validation.FieldErrors errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return at;
        errors.Add(field, "must be a date, yyyy-MM-dd.");
        return null;
    }
}
