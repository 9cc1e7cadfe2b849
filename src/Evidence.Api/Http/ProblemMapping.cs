using Evidence.Domain;
using Evidence.Domain.Trials;
using Marten;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Evidence.Api.Http;

/// <summary>The one place that turns domain failures into HTTP answers (RFC 9457 problem details).</summary>
public sealed class ProblemMapping(IProblemDetailsService problems) : IExceptionHandler
{
    public ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct) =>
        WriteAsync(context, exception, context.Features.Get<IExceptionHandlerFeature>()?.RouteValues, ct);

    /// <summary>
    /// Answers 412s inside the exception-handler middleware rather than through it: that middleware
    /// removes cache headers, <c>ETag</c> among them, from every answer it writes, and a 412 names
    /// the current version in its <c>ETag</c> as well as in its body. Registered right after
    /// <c>UseExceptionHandler</c>; every other failure goes on to it.
    /// </summary>
    public static async Task AnswerPreconditionFailuresAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception exception) when (!context.Response.HasStarted && Map(exception).Status == StatusCodes.Status412PreconditionFailed)
        {
            var mapping = new ProblemMapping(context.RequestServices.GetRequiredService<IProblemDetailsService>());
            await mapping.WriteAsync(context, exception, context.Request.RouteValues, context.RequestAborted);
        }
    }

    private async ValueTask<bool> WriteAsync(HttpContext context, Exception exception, RouteValueDictionary? route, CancellationToken ct)
    {
        var (status, title, extensions) = Map(exception);
        if (status is null)
            return false;
        context.Response.StatusCode = status.Value;
        if (status == StatusCodes.Status401Unauthorized)
            context.Response.Headers.WWWAuthenticate = "Bearer";
        // Missing configuration does not pass by waiting.
        if (status == StatusCodes.Status503ServiceUnavailable && exception is not Domain.Webhooks.WebhooksNotConfiguredException)
            context.Response.Headers.RetryAfter = "5";
        if (exception is IdempotencyInProgressException)
            context.Response.Headers.RetryAfter = "1";
        var details = new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = exception.Message };
        foreach (var (key, value) in extensions)
            details.Extensions[key] = value;
        // Another change to the trial committed between this request's read and its write. The
        // exception often cannot name the stream, so the trial is the one the route addressed.
        if (exception is JasperFx.ConcurrencyException
            && route?["review"] is string review && route["trial"] is string trial
            && await CurrentTrialVersionAsync(context, StreamKeys.Trial(review, trial), ct) is { } current)
            details.Extensions["currentVersion"] = current;
        if (details.Extensions.TryGetValue("currentVersion", out var version) && version is long currentVersion)
            context.Response.Headers.ETag = Caller.ETag(currentVersion);
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
        VersionMismatchException m => (412, "It has changed since you read it; read it again (its ETag) and retry.", new() { ["currentVersion"] = m.Actual }),
        JasperFx.ConcurrencyException => (412, "Someone else changed it at the same moment; read it again and retry.", []),
        PreconditionRequiredException => (428, "If-Match is required.", []),
        IdempotencyKeyReusedException => (422, "Idempotency-Key reused.", []),
        IdempotencyInProgressException => (409, "Idempotency-Key in progress.", []),
        PayloadTooLargeException => (413, "The body is too large.", []),
        UnsupportedMediaTypeException => (415, "Unsupported media type.", []),
        BadHttpRequestException b => (b.StatusCode, "Bad request.", []),
        Snapshots.StudiesOnReadBusyException => (503, "Busy computing large versions.", []),
        Domain.Webhooks.WebhooksNotConfiguredException => (503, "Webhooks are not configured.", new() { ["setting"] = Domain.Webhooks.WebhookSecretBox.Setting }),
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
