using System.Text.Json;

namespace Evidence.IntegrationTests.Bundles;

/// <summary>Every field of two JSON documents compared: numbers within a tolerance, everything else exactly, a field on one side only a difference.</summary>
public static class JsonFields
{
    /// <summary>
    /// The differences between <paramref name="expected"/> and <paramref name="actual"/>, one line
    /// each with its path; a number passes when |actual - expected| ≤ absolute + relative·|expected|.
    /// </summary>
    public static IReadOnlyList<string> Differences(JsonElement expected, JsonElement actual, double relative, double absolute)
    {
        var differences = new List<string>();
        Walk(expected, actual, "$", relative, absolute, differences);
        return differences;
    }

    private static void Walk(JsonElement want, JsonElement got, string path, double relative, double absolute, List<string> differences)
    {
        if (want.ValueKind == JsonValueKind.Object && got.ValueKind == JsonValueKind.Object)
        {
            var names = want.EnumerateObject().Select(p => p.Name).Union(got.EnumerateObject().Select(p => p.Name));
            foreach (var name in names)
            {
                var inWant = want.TryGetProperty(name, out var w);
                var inGot = got.TryGetProperty(name, out var g);
                if (!inWant || !inGot)
                    differences.Add($"{path}.{name}: only in {(inWant ? "result.json" : "reproduced.json")}");
                else
                    Walk(w, g, $"{path}.{name}", relative, absolute, differences);
            }
            return;
        }
        if (want.ValueKind == JsonValueKind.Array && got.ValueKind == JsonValueKind.Array)
        {
            if (want.GetArrayLength() != got.GetArrayLength())
                differences.Add($"{path}: {want.GetArrayLength()} items in result.json, {got.GetArrayLength()} in reproduced.json");
            for (var i = 0; i < Math.Min(want.GetArrayLength(), got.GetArrayLength()); i++)
                Walk(want[i], got[i], $"{path}[{i}]", relative, absolute, differences);
            return;
        }
        var same = (want.ValueKind, got.ValueKind) switch
        {
            (JsonValueKind.Number, JsonValueKind.Number) => Math.Abs(got.GetDouble() - want.GetDouble()) <= absolute + relative * Math.Abs(want.GetDouble()),
            _ when want.ValueKind != got.ValueKind => false,
            (JsonValueKind.String, _) => want.GetString() == got.GetString(),
            _ => true,
        };
        if (!same)
            differences.Add($"{path}: result.json {want.GetRawText()}, reproduced.json {got.GetRawText()}");
    }
}
