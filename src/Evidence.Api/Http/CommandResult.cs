namespace Evidence.Api.Http;

/// <summary>What a command answers: kept whole so an idempotent retry can answer the same.</summary>
public sealed record CommandResult(int Status, string Body, string? Location = null, string? ETag = null)
{
    /// <summary>Set on an answer that repeats the first answer to the same idempotency key.</summary>
    public const string ReplayedHeader = "Idempotency-Replayed";

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
