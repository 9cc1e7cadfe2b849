using Evidence.Api.Reviews;
using Evidence.Domain.Validation;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>The reviews the visitor can see, each outcome with its latest estimate.</summary>
public sealed class ReviewsModel(IQuerySession session) : WebPage
{
    public ReviewPage Listed { get; private set; } = new([], null);

    public Task<IActionResult> OnGetAsync(string? after, CancellationToken ct) => ShowAsync(async () =>
        Listed = await ReviewListEndpoints.PageAsync(HttpContext, session, 50, after is not null && Rules.IsSlug(after) ? after : null, ct));
}
