using System.Globalization;
using System.Text.Json;
using Evidence.Statistics.Sequential;

namespace Evidence.Statistics.Tests.Sequential;

/// <summary>
/// The TSA reference cases copied under <c>Reference/tsa/</c>: full cases (a data set and a design)
/// and boundary-only cases (information fractions), read into the engine's types.
/// </summary>
public static class TsaCases
{
    public static readonly string Root = Path.Combine(AppContext.BaseDirectory, "Reference", "tsa");

    public static IEnumerable<string> Names() =>
        Directory.EnumerateFiles(Path.Combine(Root, "cases"), "*.json").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal)!;

    public static JsonElement Load(string name) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "cases", name + ".json"))).RootElement;

    /// <summary>A boundary-only case gives information fractions and no data set.</summary>
    public static bool IsBoundaryOnly(JsonElement reference) => !reference.TryGetProperty("dataset", out _);

    public static SpendingFunction Spending(JsonElement settings) =>
        settings.GetProperty("spending").GetString() switch
        {
            "OBF" => SpendingFunction.OBrienFleming,
            "Pocock" => SpendingFunction.Pocock,
            var other => throw new InvalidDataException($"unknown spending '{other}'"),
        };

    public static SequentialDesign Design(JsonElement settings)
    {
        var heterogeneity = settings.GetProperty("heterogeneity");
        var adjustment = heterogeneity.ValueKind == JsonValueKind.Number
            ? new HeterogeneityAdjustment(HeterogeneityKind.Fraction, heterogeneity.GetDouble())
            : new HeterogeneityAdjustment(heterogeneity.GetString() switch
            {
                "D2" => HeterogeneityKind.D2,
                "I2" => HeterogeneityKind.I2,
                "none" => HeterogeneityKind.None,
                var other => throw new InvalidDataException($"unknown heterogeneity '{other}'"),
            });
        return new SequentialDesign(
            settings.GetProperty("alpha").GetDouble(), settings.GetProperty("beta").GetDouble(), adjustment, Spending(settings),
            Number(settings, "pc"), Number(settings, "rrr"), Number(settings, "delta"), Number(settings, "sd"));
    }

    public static Measure Measure(JsonElement settings) => Enum.Parse<Measure>(settings.GetProperty("measure").GetString()!);

    /// <summary>The case's trials in its analysis order: by year (a stable sort), or file order.</summary>
    public static List<StudyData> Trials(JsonElement reference)
    {
        var trials = ReferenceCases.Dataset(Path.Combine(Root, "datasets", reference.GetProperty("dataset").GetString()!));
        var order = reference.GetProperty("settings").GetProperty("order").GetString();
        return order switch
        {
            "row" => trials,
            "year" => trials.OrderBy(t => double.Parse(t.Labels["year"], CultureInfo.InvariantCulture)).ToList(),
            _ => throw new InvalidDataException($"unknown order '{order}'"),
        };
    }

    /// <summary>The engine's answer to a case, written as the reference writes it.</summary>
    public static JsonElement Run(JsonElement reference)
    {
        var settings = reference.GetProperty("settings");
        var json = IsBoundaryOnly(reference)
            ? SequentialJson.Serialize(TrialSequentialAnalysis.Boundaries(
                settings.GetProperty("t").EnumerateArray().Select(t => t.GetDouble()).ToList(), settings.GetProperty("alpha").GetDouble(), Spending(settings)))
            : SequentialJson.Serialize(TrialSequentialAnalysis.Analyze(Trials(reference), Measure(settings), Design(settings)), Measure(settings));
        return JsonDocument.Parse(json).RootElement;
    }

    private static double? Number(JsonElement settings, string name) =>
        settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
