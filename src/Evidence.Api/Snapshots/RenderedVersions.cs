using System.Security.Cryptography;
using Evidence.Domain.Snapshots;
using Microsoft.Extensions.Caching.Memory;

namespace Evidence.Api.Snapshots;

/// <summary>
/// An answer about one version as it goes on the wire: its body, its content type, a strong
/// <c>ETag</c> (a digest of the body) and, for a plot, the number of rows it pages through.
/// </summary>
public sealed record RenderedVersion(byte[] Body, string ContentType, string ETag, int? Rows = null);

/// <summary>
/// The answers about <see cref="Snapshot.StudiesOnRead"/> versions (the version as JSON, a page of a
/// plot), kept as the bytes that were sent, so that a repeated read neither serialises the version's
/// per-study sections nor draws the plot again. An answer is a pure function of the stored version,
/// its input hash, the engine and the request's representation (format, page, the outcome's name in
/// a plot's title), which together are the key. The cache is bounded in bytes
/// (<c>Snapshots:RenderedCacheBytes</c>, default 64 MiB, about eight versions of 10,000 trials as
/// JSON; 0 turns it off); the least recently read answers go first. A version stored whole is cheap
/// to serialise and is rendered for every read.
/// </summary>
public sealed class RenderedVersions : IDisposable
{
    private readonly MemoryCache? cache;
    private readonly IOutcomeAnalyzer analyzer;
    private long rendered;
    private long reused;

    public RenderedVersions(IOutcomeAnalyzer analyzer, IConfiguration configuration)
    {
        this.analyzer = analyzer;
        var limit = configuration.GetValue("Snapshots:RenderedCacheBytes", 64L * 1024 * 1024);
        cache = limit > 0 ? new MemoryCache(new MemoryCacheOptions { SizeLimit = limit }) : null;
    }

    /// <summary>How many answers about large versions were rendered.</summary>
    public long Rendered => Interlocked.Read(ref rendered);

    /// <summary>How many were sent again from the cache.</summary>
    public long Reused => Interlocked.Read(ref reused);

    /// <summary>
    /// The answer of <paramref name="representation"/> about <paramref name="stored"/>: from the cache
    /// for a large version rendered before, otherwise from <paramref name="render"/> (which may throw,
    /// e.g. for a page beyond the last, and then nothing is kept). With <paramref name="always"/>, an
    /// answer about a version stored whole is kept too: one that costs more than its serialisation
    /// (the history chart, keyed by the outcome's newest version, since versions are only appended).
    /// </summary>
    public async Task<RenderedVersion> GetAsync(Snapshot stored, string representation, Func<Task<(byte[] Body, string ContentType, int? Rows)>> render, bool always = false)
    {
        if (!(stored.StudiesOnRead || always) || cache is null)
            return Finish(await render());
        var key = new Key(stored.Id, stored.InputHash, analyzer.EngineVersion, representation);
        if (cache.TryGetValue(key, out RenderedVersion? hit))
        {
            Interlocked.Increment(ref reused);
            return hit!;
        }
        var answer = Finish(await render());
        Interlocked.Increment(ref rendered);
        cache.Set(key, answer, new MemoryCacheEntryOptions { Size = Math.Max(1, answer.Body.LongLength) });
        return answer;
    }

    /// <summary>
    /// Sends <paramref name="answer"/>, or 304 Not Modified with no body when the request's
    /// <c>If-None-Match</c> names its <c>ETag</c> (or is <c>*</c>).
    /// </summary>
    public static IResult Send(HttpContext http, RenderedVersion answer)
    {
        http.Response.Headers.ETag = answer.ETag;
        var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && ifNoneMatch.Split(',').Select(t => t.Trim()).Any(t => t == "*" || t == answer.ETag || t == "W/" + answer.ETag))
            return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(answer.Body, answer.ContentType);
    }

    private static RenderedVersion Finish((byte[] Body, string ContentType, int? Rows) r) =>
        new(r.Body, r.ContentType, $"\"{Convert.ToHexStringLower(SHA256.HashData(r.Body).AsSpan(0, 16))}\"", r.Rows);

    public void Dispose() => cache?.Dispose();

    private sealed record Key(string SnapshotId, string InputHash, string EngineVersion, string Representation);
}
