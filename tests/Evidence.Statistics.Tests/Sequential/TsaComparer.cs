using System.Globalization;
using System.Text.Json;

namespace Evidence.Statistics.Tests.Sequential;

/// <summary>
/// Compares a TSA result, as JSON, with a reference case's <c>expected</c>: every key of every
/// object and every element of every array, and no key more. A number passes when
/// |actual - expected| ≤ absolute + relative·|expected|, with the case's boundary tolerance for the
/// boundary-derived fields (boundary, boundaries, ci_lower, ci_upper, also under back_transformed)
/// and its closed-form tolerance for every other number; nulls, strings and booleans must be equal.
/// </summary>
public static class TsaComparer
{
    private static readonly HashSet<string> BoundaryDerived = ["boundary", "boundaries", "ci_lower", "ci_upper"];

    public static List<string> Compare(JsonElement reference, JsonElement actual)
    {
        var tolerance = reference.GetProperty("tolerance");
        var closed = tolerance.GetProperty("closed_form");
        var boundary = (tolerance.GetProperty("relative").GetDouble(), tolerance.GetProperty("absolute").GetDouble());
        var closedForm = (closed.GetProperty("relative").GetDouble(), closed.GetProperty("absolute").GetDouble());
        var mismatches = new List<string>();
        Compare(reference.GetProperty("expected"), actual, "$", null, boundary, closedForm, mismatches);
        return mismatches;
    }

    private static void Compare(
        JsonElement expected, JsonElement actual, string path, string? key,
        (double Relative, double Absolute) boundary, (double Relative, double Absolute) closedForm, List<string> mismatches)
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
                    Compare(property.Value, child, $"{path}.{property.Name}", property.Name, boundary, closedForm, mismatches);
                }
                foreach (var extra in actual.EnumerateObject().Where(p => !expected.TryGetProperty(p.Name, out _)))
                    mismatches.Add($"{path}.{extra.Name}: not in the reference");
                break;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != expected.GetArrayLength())
                {
                    mismatches.Add($"{path}: expected an array of {expected.GetArrayLength()}, got {Describe(actual)}");
                    return;
                }
                for (var i = 0; i < expected.GetArrayLength(); i++)
                    Compare(expected[i], actual[i], $"{path}[{i}]", key, boundary, closedForm, mismatches);
                break;
            case JsonValueKind.Number:
                var want = expected.GetDouble();
                var (relative, absolute) = key is not null && BoundaryDerived.Contains(key) ? boundary : closedForm;
                if (actual.ValueKind != JsonValueKind.Number)
                    mismatches.Add($"{path}: expected {Show(want)}, got {Describe(actual)}");
                else if (key == "k" ? actual.GetDouble() != want : !(Math.Abs(actual.GetDouble() - want) <= absolute + relative * Math.Abs(want)))
                    mismatches.Add($"{path}: expected {Show(want)}, got {Show(actual.GetDouble())}");
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

    private static string Show(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(JsonElement e) =>
        e.ValueKind == JsonValueKind.Undefined ? "nothing" : e.ValueKind == JsonValueKind.Array ? $"an array of {e.GetArrayLength()}" : e.ToString();
}
