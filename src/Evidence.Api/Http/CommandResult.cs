using System.Text.Json.Serialization;

namespace Evidence.Api.Http;

/// <summary>What a command answers: kept whole so an idempotent retry can answer the same.</summary>
public sealed record CommandResult(int Status, string Body, string? Location = null, string? ETag = null)
{
    /// <summary>Set on an answer that repeats the first answer to the same idempotency key.</summary>
    public const string ReplayedHeader = "Idempotency-Replayed";

    /// <summary>
    /// What a retry with the same idempotency key answers instead of this answer, when this one
    /// shows a secret: the retry's answer is stored, so it must not hold it. Null: the same answer.
    /// </summary>
    [JsonIgnore]
    public CommandResult? Retry { get; init; }

    /// <summary>The answer as the idempotency record keeps it.</summary>
    public CommandResult ForRecord() => (Retry ?? this) with { Retry = null };

    public IResult ToResult(bool replayed = false) => new Replay(this, replayed);

    private sealed class Replay(CommandResult result, bool replayed) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = result.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            if (result.Location is not null)
                context.Response.Headers.Location = result.Location;
            if (result.ETag is not null)
                context.Response.Headers.ETag = result.ETag;
            if (replayed)
                context.Response.Headers[ReplayedHeader] = "true";
            await context.Response.WriteAsync(result.Body);
        }
    }
}
