using System.Security.Cryptography;
using System.Text.Json;
using Evidence.Domain.Sequential;
using Evidence.Domain.Snapshots;

namespace Evidence.Domain.Tests.Sequential;

/// <summary>The digest that decides whether a version is a look: the trials' data by id, and nothing else.</summary>
public class TrialDataDigestTests
{
    private static StudyInput Study(string id, int year, Dictionary<string, double> data, string? subgroup = null) =>
        new(id, 1, year, data, subgroup, year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static readonly StudyInput A = Study("a", 2020, Given.Binary(3, 10, 5, 10));
    private static readonly StudyInput B = Study("b", 2021, Given.Binary(4, 12, 6, 11));

    [Fact]
    public void Digest_Should_NotDependOnOrderYearSubgroupOrKey()
    {
        var moved = Study("a", 2024, new Dictionary<string, double>(A.Data.Reverse()), subgroup: "SLE");

        Assert.Equal(TrialDataDigest.Of([A, B]), TrialDataDigest.Of([B, A]));
        Assert.Equal(TrialDataDigest.Of([A, B]), TrialDataDigest.Of([B, moved]));
    }

    [Fact]
    public void Digest_Should_Change_WhenAValueATrialOrAnIdChanges()
    {
        var both = TrialDataDigest.Of([A, B]);

        Assert.NotEqual(both, TrialDataDigest.Of([A, Study("b", 2021, Given.Binary(4, 12, 6, 12))]));
        Assert.NotEqual(both, TrialDataDigest.Of([A]));
        Assert.NotEqual(both, TrialDataDigest.Of([A, Study("c", 2021, new Dictionary<string, double>(B.Data))]));
        Assert.NotEqual(TrialDataDigest.Of([]), TrialDataDigest.Of([A]));
    }

    [Fact]
    public void Digest_Should_NotTrustItsCache_ForTheSameDataUnderAnotherTrial()
    {
        var shared = Given.Binary(1, 9, 2, 8);

        Assert.NotEqual(TrialDataDigest.Of([Study("x", 2020, shared)]), TrialDataDigest.Of([Study("y", 2020, shared)]));
    }

    [Fact]
    public void Same_Should_ReadADigestStoredBeforeThisForm_AsTheJsonOfTheTrialsById()
    {
        var stored = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(new object[]
        {
            new { TrialId = "a", Data = A.Data.OrderBy(d => d.Key, StringComparer.Ordinal).ToList() },
            new { TrialId = "b", Data = B.Data.OrderBy(d => d.Key, StringComparer.Ordinal).ToList() },
        })));

        Assert.True(TrialDataDigest.Same(stored, TrialDataDigest.Of([B, A]), [B, A]));
        Assert.False(TrialDataDigest.Same(stored, TrialDataDigest.Of([A]), [A]));
    }
}
