using System.Security.Cryptography;
using System.Text;
using Evidence.Domain;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Http;

/// <summary>
/// The answer a retry of a request sent with an <c>Idempotency-Key</c> gets, stored with its events.
/// It holds no secret: an answer that shows one is stored without it (see <see cref="CommandResult.Retry"/>).
/// </summary>
public sealed record IdempotencyRecord(string Id, string RequestHash, CommandResult Result, DateTimeOffset At);

/// <summary>The same idempotency key came back with another request.</summary>
public sealed class IdempotencyKeyReusedException()
    : DomainException("This Idempotency-Key was already used for a different request.");

/// <summary>Another request with the same idempotency key is still being decided.</summary>
public sealed class IdempotencyInProgressException()
    : DomainException("A request with this Idempotency-Key is still in progress; retry shortly to get its answer.");

/// <summary>
/// Runs a command once per idempotency key and user. Requests with the same key take turns (a lock
/// in PostgreSQL, held until the first one committed or failed), so a second request finds the
/// first's answer rather than the first's effect. The record is inserted in the same transaction
/// as the command's events, so a retry either finds the first answer or the first attempt left no
/// trace. Whoever calls it checks the caller's role first: a replay answers only whom a fresh
/// request would.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    /// <summary>How long a request waits for an earlier one with the same key before it answers 409.</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Reads the body, decides with <paramref name="decide"/> (which appends to the session), and
    /// commits the events together with the idempotency record. The body may hold at most
    /// <paramref name="maxBodyBytes"/> (<see cref="JsonBody.MaxBytes"/> unless the route allows more).
    /// </summary>
    public static async Task<IResult> RunAsync(
        HttpContext context, IDocumentSession session, TimeProvider clock,
        Func<JsonBody, Provenance, Task<CommandResult>> decide, int maxBodyBytes = JsonBody.MaxBytes)
    {
        var ct = context.RequestAborted;
        var provenance = Caller.Provenance(context, clock);
        var key = Key(context);
        var body = await JsonBody.ReadAsync(context.Request, ct, maxBodyBytes);
        if (key is null)
        {
            var once = await decide(body, provenance);
            await session.SaveChangesAsync(ct);
            return once.ToResult();
        }

        var id = Hash($"{provenance.By}\n{key}");
        var hash = Hash($"{context.Request.Method} {context.Request.Path}\n{Convert.ToBase64String(body.Raw)}");
        await using var turn = await IdempotencyTurn.TakeAsync(session.Database, id, Wait, ct)
                               ?? throw new IdempotencyInProgressException();
        if (await session.LoadAsync<IdempotencyRecord>(id, ct) is { } earlier)
            return earlier.RequestHash == hash ? earlier.Result.ToResult(replayed: true) : throw new IdempotencyKeyReusedException();

        var result = await decide(body, provenance);
        session.Insert(new IdempotencyRecord(id, hash, result.ForRecord(), provenance.At));
        await session.SaveChangesAsync(ct);
        return result.ToResult();
    }

    private static string? Key(HttpContext context)
    {
        var values = context.Request.Headers[Header];
        if (values.Count == 0)
            return null;
        var errors = new FieldErrors();
        if (values.Count > 1)
            errors.Add($"headers.{Header}", "must be given once.");
        else
            Rules.Text(errors, $"headers.{Header}", values[0], MaxKeyLength, required: true);
        errors.ThrowIfAny();
        return values[0];
    }

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
