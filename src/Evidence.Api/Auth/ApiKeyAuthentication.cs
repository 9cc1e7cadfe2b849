using System.Security.Claims;
using System.Text.Encodings.Web;
using Evidence.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Evidence.Api.Auth;

/// <summary>
/// Authenticates a request by its API key, sent as <c>Authorization: Bearer &lt;key&gt;</c> or
/// <c>X-Api-Key: &lt;key&gt;</c> (one of them, once). Keys are looked up by their hash; a found key is
/// cached for <c>Auth:KeyCacheSeconds</c> (5 by default), so a revocation takes effect within that time.
/// </summary>
public sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IDocumentStore store, IMemoryCache cache, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string KeyHeader = "X-Api-Key";
    public const string KeyIdClaim = "key_id";
    public const string AdministratorRole = "administrator";

    /// <summary>Set when a key was presented but refused, so even public reads answer 401.</summary>
    public const string FailedItem = "evidence.auth.failed";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization;
        var apiKey = Request.Headers[KeyHeader];
        if (authorization.Count == 0 && apiKey.Count == 0)
            return AuthenticateResult.NoResult();
        if (authorization.Count + apiKey.Count > 1)
            return Fail("Send one API key, in Authorization or X-Api-Key, once.");
        string? key = apiKey.Count == 1 ? apiKey[0] : null;
        if (authorization.Count == 1)
        {
            var value = authorization[0] ?? "";
            if (!value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                return Fail("Authorization must be 'Bearer <API key>'.");
            key = value["Bearer ".Length..].Trim();
        }
        if (string.IsNullOrEmpty(key) || key.Length > 256)
            return Fail("The API key is empty or too long.");

        var cacheFor = TimeSpan.FromSeconds(configuration.GetValue("Auth:KeyCacheSeconds", 5.0));
        var stored = cacheFor > TimeSpan.Zero
            ? await cache.GetOrCreateAsync("api-key:" + ApiKey.IdOf(key), async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = cacheFor;
                return await LoadAsync(ApiKey.IdOf(key));
            })
            : await LoadAsync(ApiKey.IdOf(key));
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
