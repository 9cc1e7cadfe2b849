using System.Security.Cryptography;
using System.Text;
using Evidence.Domain;
using Evidence.Domain.Validation;
using Marten;

namespace Evidence.Api.Http;

/// <summary>The first answer to a request sent with an <c>Idempotency-Key</c>, stored with its events.</summary>
public sealed record IdempotencyRecord(string Id, string RequestHash, CommandResult Result, DateTimeOffset At);

/// <summary>The same idempotency key came back with another request.</summary>
public sealed class IdempotencyKeyReusedException()
    : DomainException("This Idempotency-Key was already used for a different request.");

/// <summary>
/// Runs a command once per idempotency key. The record is inserted in the same transaction as the
/// command's events, so a retry either finds the first answer or the first attempt left no trace.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    private const int MaxKeyLength = 200;

    /// <summary>
    /// Reads the body, decides with <paramref name="decide"/> (which appends to the session), and
    /// commits the events together with the idempotency record.
    /// </summary>
    public static async Task<IResult> RunAsync(
        HttpContext context, IDocumentSession session, TimeProvider clock,
        Func<JsonBody, Provenance, Task<CommandResult>> decide)
    {
        var ct = context.RequestAborted;
        var body = await JsonBody.ReadAsync(context.Request, ct);
        var provenance = Caller.Provenance(context, clock);
        var key = Key(context);
        var id = key is null ? null : Hash($"{provenance.By}\n{key}");
        var hash = Hash($"{context.Request.Method} {context.Request.Path}\n{Convert.ToBase64String(body.Raw)}");

        if (id is not null && await session.LoadAsync<IdempotencyRecord>(id, ct) is { } earlier)
            return Replay(earlier, hash);

        var result = await decide(body, provenance);
        if (id is not null)
            session.Insert(new IdempotencyRecord(id, hash, result, provenance.At));
        try
        {
            await session.SaveChangesAsync(ct);
        }
        catch (Exception ex) when (id is not null && ex is JasperFx.DocumentAlreadyExistsException or JasperFx.ConcurrencyException
                                       or JasperFx.Events.ExistingStreamIdCollisionException or Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            // A concurrent retry with the same key won the race: answer what it answered.
            await using var fresh = session.DocumentStore.QuerySession();
            if (await fresh.LoadAsync<IdempotencyRecord>(id, ct) is { } winner)
                return Replay(winner, hash);
            throw;
        }
        return result.ToResult();
    }

    private static IResult Replay(IdempotencyRecord earlier, string hash) =>
        earlier.RequestHash == hash ? earlier.Result.ToResult(replayed: true) : throw new IdempotencyKeyReusedException();

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
