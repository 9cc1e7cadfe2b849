using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Evidence.Domain.Outcomes;

namespace Evidence.Domain.Snapshots;

/// <summary>
/// A trial that counts in an outcome's analysis, with the values the analysis reads: its data, the
/// value of the outcome's subgroup attribute (if any) and its key in the cumulative order (the year,
/// or the value of the order attribute).
/// </summary>
public sealed record StudyInput(string TrialId, long TrialVersion, int Year, IReadOnlyDictionary<string, double> Data, string? Subgroup, string? Order);

/// <summary>A trial with data for the outcome that does not count: excluded or retracted, with why.</summary>
public sealed record LeftOutStudy(string TrialId, long TrialVersion, string Status, string? Reason, string? Notice);

/// <summary>
/// Everything an outcome's pooled estimate depends on at one point of the review's event log. Two
/// points with equal <see cref="Hash()"/> give the same analysis, so an event that leaves the hash
/// unchanged yields no new snapshot version.
/// </summary>
public sealed record OutcomeInputs(
    string ReviewId, string OutcomeId, string DataType, AnalysisPlan Settings,
    IReadOnlyList<StudyInput> Included, IReadOnlyList<LeftOutStudy> LeftOut,
    Judgement.DecisionThresholds? Thresholds = null, Judgement.SignalRules? Rules = null, Sequential.SequentialSettings? Sequential = null)
{
    /// <summary>
    /// SHA-256 of the inputs in a canonical form: the data type and settings (the convention preset
    /// only when it is not the default; with the thresholds and
    /// signal rules once either is set, and the sequential parameters while they are set, so the hash
    /// of an outcome without them is as it always was), then the digest of each
    /// included trial in order and of each left-out trial (<see cref="Digest(StudyInput)"/>), with
    /// their counts. Trial versions are left out because a change to a field the analysis does not
    /// read must not count.
    /// </summary>
    public string Hash() => Hash(Digest);

    /// <summary>The same hash, taking each included trial's digest from <paramref name="digest"/> (a cache).</summary>
    public string Hash(Func<StudyInput, byte[]> digest)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        // The plan as it was before presets while it follows the default, so such an outcome's hash is unchanged.
        object plan = Settings.HasDefaultConventions
            ? new { Settings.Measure, Settings.Method, Settings.Test, Settings.Subgroup, Settings.Order }
            : Settings;
        sha.AppendData(Sequential is not null
            ? JsonSerializer.SerializeToUtf8Bytes(new { DataType, Settings = plan, Thresholds, Rules, Sequential })
            : Thresholds is null && Rules is null
                ? JsonSerializer.SerializeToUtf8Bytes(new { DataType, Settings = plan })
                : JsonSerializer.SerializeToUtf8Bytes(new { DataType, Settings = plan, Thresholds, Rules }));
        Span<byte> count = stackalloc byte[sizeof(long)];
        BinaryPrimitives.WriteInt64LittleEndian(count, Included.Count);
        sha.AppendData(count);
        foreach (var study in Included)
            sha.AppendData(digest(study));
        BinaryPrimitives.WriteInt64LittleEndian(count, LeftOut.Count);
        sha.AppendData(count);
        foreach (var study in LeftOut)
            sha.AppendData(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { study.TrialId, study.Status, study.Reason, study.Notice })));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    /// <summary>SHA-256 of what the analysis reads of one included trial.</summary>
    public static byte[] Digest(StudyInput s) =>
        SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new { s.TrialId, s.Year, Data = s.Data.OrderBy(d => d.Key, StringComparer.Ordinal).ToList(), s.Subgroup, s.Order }));
}
