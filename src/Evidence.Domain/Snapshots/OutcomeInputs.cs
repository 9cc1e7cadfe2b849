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
/// points with equal <see cref="Hash"/> give the same analysis, so an event that leaves the hash
/// unchanged yields no new snapshot version.
/// </summary>
public sealed record OutcomeInputs(
    string ReviewId, string OutcomeId, string DataType, AnalysisSettings Settings,
    IReadOnlyList<StudyInput> Included, IReadOnlyList<LeftOutStudy> LeftOut)
{
    /// <summary>SHA-256 of the inputs in a canonical form; trial versions are left out because a change to a field the analysis does not read must not count.</summary>
    public string Hash()
    {
        var canonical = new
        {
            DataType,
            Settings,
            Included = Included.Select(s => new { s.TrialId, s.Year, Data = s.Data.OrderBy(d => d.Key, StringComparer.Ordinal).ToList(), s.Subgroup, s.Order }),
            LeftOut = LeftOut.Select(s => new { s.TrialId, s.Status, s.Reason, s.Notice }),
        };
        return Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(canonical)));
    }
}
