using System.Globalization;
using System.Text.Json;
using Evidence.Statistics.Analyses;

namespace Evidence.Statistics.Tests;

/// <summary>The reference cases (metafor 3.8-1 results) copied under <c>Reference/</c>, and their data sets.</summary>
public static class ReferenceCases
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Reference");

    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Path.Combine(Root, "cases"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "cases", name + ".json"))).RootElement;

    public static AnalysisSettings Settings(JsonElement settings) => new(
        Enum.Parse<Measure>(settings.GetProperty("measure").GetString()!),
        Enum.Parse<Method>(settings.GetProperty("method").GetString()!),
        settings.TryGetProperty("test", out var test) && test.GetString() == "knha" ? Test.Knha : Test.Z,
        settings.TryGetProperty("subgroup", out var subgroup) ? subgroup.GetString() : null,
        settings.TryGetProperty("order", out var order) ? order.GetString() : null,
        settings.TryGetProperty("moderators", out var moderators) ? moderators.EnumerateArray().Select(m => m.GetString()!).ToList() : null);

    /// <summary>Reads a data set: numeric cells become values, every cell (quotes removed) a label.</summary>
    public static List<StudyData> Dataset(string file)
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "datasets", file)).Where(l => l.Length > 0).ToList();
        var header = Split(lines[0]);
        return lines.Skip(1).Select(line =>
        {
            var cells = Split(line);
            var values = new Dictionary<string, double>();
            var labels = new Dictionary<string, string>();
            for (var i = 0; i < header.Count; i++)
            {
                labels[header[i]] = cells[i];
                if (double.TryParse(cells[i], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    values[header[i]] = number;
            }
            return new StudyData(labels.GetValueOrDefault("study") ?? $"Study {values.Count}", values, labels);
        }).ToList();
    }

    private static List<string> Split(string line)
    {
        var cells = new List<string>();
        var cell = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var c in line)
        {
            if (c == '"')
                quoted = !quoted;
            else if (c == ',' && !quoted)
            {
                cells.Add(cell.ToString());
                cell.Clear();
            }
            else
                cell.Append(c);
        }
        cells.Add(cell.ToString());
        return cells;
    }
}
