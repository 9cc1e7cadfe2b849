using System.Security.Claims;
using Evidence.Domain;
using Evidence.Domain.Access;
using Evidence.Domain.Reviews;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Auth;

/// <summary>No valid API key came with a request that needs one.</summary>
public sealed class UnauthenticatedException(string message) : DomainException(message);

/// <summary>The caller is a member of the review but their role does not allow this.</summary>
public sealed class ForbiddenException(string message) : DomainException(message);

/// <summary>
/// Who may do what. Administrators may do anything. In a review, viewers read, editors also write,
/// owners also manage members and visibility. A public review is readable by everyone, even without
/// a key. To anyone else, with or without a key, a private review answers exactly as a missing one
/// (404), so its existence does not leak; a refusal that does not depend on the review (no key for
/// a write, a refused key) is decided before the review is looked up.
/// </summary>
public static class Access
{
    public static bool IsAuthenticated(HttpContext http) => http.User.Identity?.IsAuthenticated == true;

    public static bool IsAdministrator(HttpContext http) => http.User.IsInRole(ApiKeyAuthentication.AdministratorRole);

    /// <summary>The authenticated user; 401 without a valid key.</summary>
    public static string User(HttpContext http)
    {
        if (http.Items.TryGetValue(ApiKeyAuthentication.FailedItem, out var reason))
            throw new UnauthenticatedException((string)reason!);
        return IsAuthenticated(http) ? http.User.FindFirstValue(ClaimTypes.Name)! : throw new UnauthenticatedException("Send an API key: Authorization: Bearer <key>.");
    }

    /// <summary>The authenticated user, or null for a request without a key; 401 for a refused key.</summary>
    public static string? UserOrAnonymous(HttpContext http) =>
        IsAuthenticated(http) || http.Items.ContainsKey(ApiKeyAuthentication.FailedItem) ? User(http) : null;

    public static void RequireAdministrator(HttpContext http)
    {
        User(http);
        if (!IsAdministrator(http))
            throw new ForbiddenException("Only an administrator may do this.");
    }

    /// <summary>
    /// Loads the review and checks the caller holds at least <paramref name="needed"/> in it. Run it
    /// before anything else the request does (reading its body, replaying an idempotent answer), so
    /// a stranger's answer is the same whatever the request holds and whatever role was held before.
    /// </summary>
    public static async Task<Review> RequireAsync(HttpContext http, IQuerySession session, string review, Role needed)
    {
        if (http.Items.TryGetValue(ApiKeyAuthentication.FailedItem, out var reason))
            throw new UnauthenticatedException((string)reason!);
        // Only reading a public review goes without a key; anything else needs one, for every review alike.
        if (needed > Role.Viewer)
            User(http);
        var current = (Rules.IsSlug(review) ? await session.LoadAsync<Review>(review, http.RequestAborted) : null)
                      ?? throw new NotFoundException("Review", review);
        if (needed == Role.Viewer && current.IsPublic)
            return current;
        if (!IsAuthenticated(http))
            throw new NotFoundException("Review", review);
        var user = User(http);
        if (IsAdministrator(http))
            return current;
        // A public review's existence is no secret, so a stranger is refused rather than told it is not there.
        var role = current.RoleOf(user) ?? (current.IsPublic
            ? throw new ForbiddenException($"You are not a member of review '{review}'.")
            : throw new NotFoundException("Review", review));
        return role >= needed ? current : throw new ForbiddenException($"This needs the {needed.ToString().ToLowerInvariant()} role in review '{review}'; you are {role.ToString().ToLowerInvariant()}.");
    }
}
