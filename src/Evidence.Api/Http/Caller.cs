using Evidence.Domain;
using Evidence.Domain.Validation;

namespace Evidence.Api.Http;

/// <summary>Who is calling and which request this is: the provenance every event carries.</summary>
public static class Caller
{
    public const string CorrelationHeader = "X-Correlation-Id";

    /// <summary>The authenticated user (401 without a valid key), the time, and the request's correlation id.</summary>
    public static Provenance Provenance(HttpContext context, TimeProvider clock)
    {
        var user = Auth.Access.User(context);
        var correlation = Single(context, CorrelationHeader);
        var errors = new FieldErrors();
        if (correlation is not null)
            Rules.Text(errors, $"headers.{CorrelationHeader}", correlation, Rules.MaxIdLength * 2, required: true);
        errors.ThrowIfAny();
        return new Provenance(user, clock.GetUtcNow(), correlation ?? context.TraceIdentifier);
    }

    /// <summary>
    /// The version the caller expects, from <c>If-Match</c> (<c>"3"</c>, <c>W/"3"</c> or <c>3</c>): a
    /// trial's for a change to the trial, the review's for a change to an outcome's thresholds or
    /// signal rules. It is required on every such change, so no update is ever blind.
    /// </summary>
    public static long ExpectedVersion(HttpContext context)
    {
        var values = context.Request.Headers.IfMatch;
        if (values.Count == 0)
            throw new PreconditionRequiredException();
        var text = values.Count == 1 ? values[0]!.Trim() : "";
        if (text.StartsWith("W/", StringComparison.Ordinal))
            text = text[2..];
        text = text.Trim('"');
        if (values.Count > 1 || !long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version) || version < 1)
            throw new ValidationFailedException(new Dictionary<string, string[]> { ["headers.If-Match"] = ["must be one version (the ETag), e.g. \"3\"."] });
        return version;
    }

    public static string ETag(long version) => $"\"{version}\"";

    private static string? Single(HttpContext context, string header)
    {
        var values = context.Request.Headers[header];
        if (values.Count > 1)
            throw new ValidationFailedException(new Dictionary<string, string[]> { [$"headers.{header}"] = ["must be given once."] });
        return values.Count == 1 ? values[0] : null;
    }
}

/// <summary>A change to an existing trial, or to an outcome's thresholds or rules, came without <c>If-Match</c>.</summary>
public sealed class PreconditionRequiredException()
    : DomainException("Send If-Match with the current version (the trial's, or for an outcome's thresholds and rules the review's: its ETag) to change it.");
