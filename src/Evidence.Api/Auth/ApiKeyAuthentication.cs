using System.Security.Claims;
using System.Text.Encodings.Web;
using Evidence.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Evidence.Api.Auth;

/// <summary>
/// Authenticates a request by its API key (<see cref="PresentedKey"/>). Keys are looked up by their
/// hash; a key found valid is trusted for <c>Auth:KeyCacheSeconds</c> (5 by default) before it is
/// read again (<see cref="ApiKeyCache"/>), so a revocation takes effect within that time on every
/// instance, and at once on the instance that revoked it.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDocumentStore store, ApiKeyCache keys, FailedKeyBudget budget)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyIdClaim = "key_id";
    public const string AdministratorRole = "administrator";

    /// <summary>Set when a key was presented but refused, so even public reads answer 401.</summary>
    public const string FailedItem = "evidence.auth.failed";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = PresentedKey.Of(Context);
        if (presented.Problem is not null)
            return Fail(presented.Problem);
        if (presented is not { Key: { } key, Id: { } id })
            return AuthenticateResult.NoResult();

        var stored = keys.Trusted(id);
        if (stored is null)
        {
            stored = await LoadAsync(id);
            if (stored is { IsRevoked: false } && stored.Matches(key))
                keys.Remember(stored);
            else
            {
                budget.Failed(Context);
                if (stored is null or { IsRevoked: true })
                    keys.Forget(id);
            }
        }
        if (stored is null || stored.IsRevoked || !stored.Matches(key))
            return Fail("The API key is not valid.");

        var claims = new List<Claim> { new(ClaimTypes.Name, stored.User), new(KeyIdClaim, stored.Id) };
        if (stored.IsAdministrator)
            claims.Add(new Claim(ClaimTypes.Role, AdministratorRole));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private async Task<ApiKey?> LoadAsync(string id)
    {
        await using var session = store.QuerySession();
        return await session.LoadAsync<ApiKey>(id, Context.RequestAborted);
    }

    private AuthenticateResult Fail(string reason)
    {
        Context.Items[FailedItem] = reason;
        return AuthenticateResult.Fail(reason);
    }
}
