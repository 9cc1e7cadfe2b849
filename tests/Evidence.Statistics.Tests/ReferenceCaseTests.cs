using System.Globalization;
using System.Text.Json;
using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests;

/// <summary>
/// Every reference case, every field of its <c>expected</c>, recursively, within the case's own
/// tolerance: |actual - expected| ≤ absolute + relative·|expected|. A new case file is a new test.
/// </summary>
public class ReferenceCaseTests
{
    public static TheoryData<string> Cases => new(ReferenceCases.Names());

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analysis_Should_ReproduceMetafor_OnEveryField(string name)
    {
        var reference = ReferenceCases.Load(name);
        var tolerance = reference.GetProperty("tolerance");
        var relative = tolerance.GetProperty("relative").GetDouble();
        var absolute = tolerance.GetProperty("absolute").GetDouble();
        var studies = ReferenceCases.Dataset(reference.GetProperty("dataset").GetString()!);

        var result = MetaAnalysis.Run(studies, ReferenceCases.Settings(reference.GetProperty("settings")));
        var actual = JsonDocument.Parse(AnalysisJson.Serialize(result)).RootElement;

        var mismatches = new List<string>();
        Compare(reference.GetProperty("expected"), actual, "$", relative, absolute, mismatches);
        Assert.True(mismatches.Count == 0, $"{name}: {mismatches.Count} field(s) differ from metafor:\n{string.Join('\n', mismatches.Take(40))}");
    }

    [Fact]
    public void Cases_Should_AllBeFound()
    {
        Assert.Equal(Directory.GetFiles(Path.Combine(ReferenceCases.Root, "cases"), "*.json").Length, ReferenceCases.Names().Count());
        Assert.NotEmpty(ReferenceCases.Names());
    }

    internal static void Compare(JsonElement expected, JsonElement actual, string path, double relative, double absolute, List<string> mismatches)
    {
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    mismatches.Add($"{path}: expected an object, got {Describe(actual)}");
                    return;
                }
                foreach (var property in expected.EnumerateObject())
                {
                    var child = actual.TryGetProperty(property.Name, out var value) ? value : default;
                    Compare(property.Value, child, $"{path}.{property.Name}", relative, absolute, mismatches);
                }
                break;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength())
                {
                    mismatches.Add($"{path}: expected an array of {expected.GetArrayLength()}, got {Describe(actual)}");
                    return;
                }
                for (var i = 0; i < expected.GetArrayLength(); i++)
                    Compare(expected[i], actual[i], $"{path}[{i}]", relative, absolute, mismatches);
                break;
            case JsonValueKind.Number:
                var want = expected.GetDouble();
                if (actual.ValueKind != JsonValueKind.Number)
                    mismatches.Add($"{path}: expected {want.ToString("R", CultureInfo.InvariantCulture)}, got {Describe(actual)}");
                else if (!(Math.Abs(actual.GetDouble() - want) <= absolute + relative * Math.Abs(want)))
                    mismatches.Add($"{path}: expected {want.ToString("R", CultureInfo.InvariantCulture)}, got {actual.GetDouble().ToString("R", CultureInfo.InvariantCulture)}");
                break;
            case JsonValueKind.Null:
                if (actual.ValueKind != JsonValueKind.Null)
                    mismatches.Add($"{path}: expected null, got {Describe(actual)}");
                break;
            default:
                if (actual.ValueKind != expected.ValueKind || actual.ToString() != expected.ToString())
                    mismatches.Add($"{path}: expected {expected}, got {Describe(actual)}");
                break;
        }
    }

    private static string Describe(JsonElement e) => e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.ValueKind == JsonValueKind.Array ? $"an array of {e.GetArrayLength()}" : e.ToString();

}
