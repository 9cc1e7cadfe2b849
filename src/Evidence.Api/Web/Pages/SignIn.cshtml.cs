using Evidence.Api.Auth;
using Evidence.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Mvc;

namespace Evidence.Api.Web.Pages;

/// <summary>
/// Signing in with an API key: the key is checked as the API checks it (unknown, revoked or wrong:
/// refused, spending the address's <see cref="FailedKeyBudget"/>) and exchanged for a session; the
/// key itself is not kept.
/// </summary>
public sealed class SignInModel(IDocumentStore store, FailedKeyBudget budget, TimeProvider clock) : WebPage
{
    [BindProperty(SupportsGet = true)] public string? ReturnUrl { get; set; }
    public string? Problem { get; private set; }

    public IActionResult OnGet() => Page();

    public async Task<IActionResult> OnPostAsync([FromForm] string? key, CancellationToken ct)
    {
        key = key?.Trim();
        if (string.IsNullOrEmpty(key) || key.Length > PresentedKey.MaxLength)
            return Refuse("Enter an API key.");
        if (!budget.MayLookUp(HttpContext))
            return Refuse("Too many refused keys from this address; wait a few seconds.", StatusCodes.Status429TooManyRequests);
        await using var session = store.LightweightSession();
        var stored = await session.LoadAsync<ApiKey>(ApiKey.IdOf(key), ct);
        if (stored is null || stored.IsRevoked || !stored.Matches(key))
        {
            budget.Failed(HttpContext);
            return Refuse("The API key is not valid.");
        }
        var secret = WebSession.NewSecret();
        var opened = WebSession.Open(secret, stored, clock.GetUtcNow());
        session.Store(opened);
        await session.SaveChangesAsync(ct);
        Response.Cookies.Append(WebSessionAuthentication.CookieName, secret, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = Request.IsHttps,
            Path = WebView.Root,
            Expires = opened.Expires,
            IsEssential = true,
        });
        return LocalRedirect(ReturnUrl is { } back && back.StartsWith(WebView.Root + "/", StringComparison.Ordinal) && Url.IsLocalUrl(back) ? back : WebView.Root + "/reviews");
    }

    private Microsoft.AspNetCore.Mvc.RazorPages.PageResult Refuse(string problem, int status = StatusCodes.Status400BadRequest)
    {
        Problem = problem;
        Response.StatusCode = status;
        return Page();
    }
}
