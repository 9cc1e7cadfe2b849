using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Sequential;

/// <summary>
/// What a look is a change of: the included trials' data, by trial id, whatever their order, year,
/// subgroup or cumulative key. The digest is <c>sum:{k}:{hex}</c>, the count of trials and the sum
/// (four 64-bit lanes, wrapping) of each trial's SHA-256 over its id and its values by key, in
/// binary. A sum needs no sort, and each trial's SHA-256 is kept with its data (the dictionary a
/// trial version holds, never changed once made), so a version costs a lookup per trial instead of
/// serialising every trial again.
/// </summary>
public static class TrialDataDigest
{
    private const string Prefix = "sum:";
    private static readonly ConditionalWeakTable<IReadOnlyDictionary<string, double>, Kept> Cache = new();

    private sealed record Kept(string TrialId, byte[] Digest);

    /// <summary>The digest of <paramref name="included"/>.</summary>
    public static string Of(IReadOnlyList<StudyInput> included)
    {
        ulong a = 0, b = 0, c = 0, d = 0;
        foreach (var study in included)
        {
            var digest = Of(study);
            a += BinaryPrimitives.ReadUInt64LittleEndian(digest.AsSpan(0));
            b += BinaryPrimitives.ReadUInt64LittleEndian(digest.AsSpan(8));
            c += BinaryPrimitives.ReadUInt64LittleEndian(digest.AsSpan(16));
            d += BinaryPrimitives.ReadUInt64LittleEndian(digest.AsSpan(24));
        }
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{included.Count}:{a:x16}{b:x16}{c:x16}{d:x16}");
    }

    /// <summary>
    /// Whether <paramref name="stored"/> and <paramref name="digest"/> (this form) are of the same data.
    /// A ledger stored before this form holds the SHA-256 of the trials' JSON (by id, values by key);
    /// it is compared in that form, once, and stored again in this one.
    /// </summary>
    public static bool Same(string stored, string digest, IReadOnlyList<StudyInput> included) =>
        stored == digest || (!stored.StartsWith(Prefix, StringComparison.Ordinal) && stored == Json(included));

    private static byte[] Of(StudyInput study)
    {
        if (Cache.TryGetValue(study.Data, out var kept) && kept.TrialId == study.TrialId)
            return kept.Digest;
        var digest = Compute(study);
        Cache.AddOrUpdate(study.Data, new Kept(study.TrialId, digest));
        return digest;
    }

    private static byte[] Compute(StudyInput study)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(sha, study.TrialId);
        foreach (var (key, value) in study.Data.OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            AppendText(sha, key);
            AppendLong(sha, BitConverter.DoubleToInt64Bits(value));
        }
        return sha.GetHashAndReset();
    }

    private static void AppendText(IncrementalHash sha, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        AppendLong(sha, bytes.Length);
        sha.AppendData(bytes);
    }

    private static void AppendLong(IncrementalHash sha, long value)
    {
        Span<byte> bytes = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        sha.AppendData(bytes);
    }

    private static string Json(IReadOnlyList<StudyInput> included) =>
        Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(
            included.OrderBy(s => s.TrialId, StringComparer.Ordinal)
                .Select(s => new { s.TrialId, Data = s.Data.OrderBy(d => d.Key, StringComparer.Ordinal).ToList() }).ToList())));
}
