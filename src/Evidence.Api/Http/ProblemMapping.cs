using Evidence.Domain;
using Evidence.Domain.Trials;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Evidence.Api.Http;

/// <summary>The one place that turns domain failures into HTTP answers (RFC 9457 problem details).</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public const string VersionMismatchTitle = "The trial has changed since you read it.";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var (status, title, extensions) = Map(exception);
        if (status is null)
            return false;
        context.Response.StatusCode = status.Value;
        if (status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        if (status == StatusCodes.Status503ServiceUnavailable)
            context.Response.Headers.RetryAfter = "5";
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = exception.Message };
        foreach (var (key, value) in extensions)
            details.Extensions[key] = value;
        if (exception is VersionMismatchException mismatch)
            context.Response.Headers.ETag = Caller.ETag(mismatch.Actual);
        // Another change to the trial committed between this request's read and its write. The
        // exception often cannot name the stream, so the trial is the one the route addressed.
        if (exception is JasperFx.ConcurrencyException
            && context.Features.Get<IExceptionHandlerFeature>()?.RouteValues is { } route
            && route["review"] is string review && route["trial"] is string trial
            && await CurrentTrialVersionAsync(context, Trial.StreamKey(review, trial), ct) is { } current)
            details.Extensions["currentVersion"] = current;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    private static (int? Status, string Title, Dictionary<string, object?> Extensions) Map(Exception exception) => exception switch
    {
        ValidationFailedException v => (400, "One or more fields are invalid.", new() { ["errors"] = v.Errors }),
        NotFoundException => (404, "Not found.", []),
        Auth.UnauthenticatedException => (401, "Authentication required.", []),
        Auth.ForbiddenException => (403, "Forbidden.", []),
        ConflictException => (409, "Conflict.", []),
        JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException or JasperFx.DocumentAlreadyExistsException
            => (409, "It already exists.", []),
        VersionMismatchException m => (412, VersionMismatchTitle, new() { ["currentVersion"] = m.Actual }),
        JasperFx.ConcurrencyException => (412, "Someone else changed it at the same moment; read it again and retry.", []),
        PreconditionRequiredException => (428, "If-Match is required.", []),
        IdempotencyKeyReusedException => (422, "Idempotency-Key reused.", []),
        PayloadTooLargeException => (413, "The body is too large.", []),
        UnsupportedMediaTypeException => (415, "Unsupported media type.", []),
        BadHttpRequestException b => (b.StatusCode, "Bad request.", []),
        _ when StoreUnavailable(exception) => (503, "The event store is unavailable; retry shortly.", []),
        _ => (null, "", []),
    };

    /// <summary>The trial's version now; null when it cannot be read.</summary>
    private static async Task<long?> CurrentTrialVersionAsync(HttpContext context, string stream, CancellationToken ct)
    {
        try
        {
            await using var session = context.RequestServices.GetRequiredService<IDocumentStore>().QuerySession();
            return (await session.LoadAsync<Trial>(stream, ct))?.Version;
        }
        catch (Exception ex) when (ex is OperationCanceledException || StoreUnavailable(ex))
        {
            return null;
        }
    }

    /// <summary>A lost or refused database connection, however deep Marten wrapped it.</summary>
    private static bool StoreUnavailable(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is PostgresException pg)
                return pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57", StringComparison.Ordinal);
            if (exception is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
                return true;
        }
        return false;
    }
}
