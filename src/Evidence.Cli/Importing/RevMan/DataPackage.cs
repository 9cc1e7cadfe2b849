using System.Globalization;
using System.IO.Compression;
using Evidence.Cli.Common;

namespace Evidence.Cli.Importing.RevMan;

/// <summary>
/// Reads a RevMan Web data package (version 1): a folder, or a zip (the Cochrane Library layout, or
/// RevMan Web's export with the data zip inside), holding <c>*-overall-estimates-and-settings.csv</c>,
/// <c>*-data-rows.csv</c> and optionally <c>*-subgroup-estimates.csv</c>; UTF-8 with or without a BOM,
/// LF or CRLF.
/// </summary>
public static class DataPackage
{
    public const string Settings = "-overall-estimates-and-settings.csv";
    public const string DataRows = "-data-rows.csv";
    public const string SubgroupEstimates = "-subgroup-estimates.csv";

    /// <summary>Whether <paramref name="path"/> looks like a data package (a folder, or a zip) rather than an rm5 file.</summary>
    public static bool IsPackage(string path) => Directory.Exists(path) || path.EndsWith(".zip", StringComparison.OrdinalIgnoreCase);

    public static RevManReview Read(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.EnumerateFiles(path, "*.csv", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes)
            : Unzip(File.ReadAllBytes(path));
        return Parse(files, Path.GetFileName(path.TrimEnd('/', '\\')));
    }

    /// <summary>The CSV files of a zip, looking into zips inside it (RevMan Web's export nests the data zip).</summary>
    public static Dictionary<string, byte[]> Unzip(byte[] zip)
    {
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        foreach (var entry in archive.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            if (entry.FullName.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                files[entry.FullName] = copy.ToArray();
            else if (entry.FullName.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                foreach (var (name, bytes) in Unzip(copy.ToArray()))
                    files[$"{entry.FullName}/{name}"] = bytes;
            }
        }
        return files;
    }

    /// <summary>Reads the package from its CSV files by name.</summary>
    public static RevManReview Parse(IReadOnlyDictionary<string, byte[]> files, string source)
    {
        var settings = Table(files, Settings) ?? throw new FormatException($"{source}: no *{Settings} in the data package.");
        var rows = Table(files, DataRows) ?? throw new FormatException($"{source}: no *{DataRows} in the data package.");
        var subgroupTable = Table(files, SubgroupEstimates);
        if (files.Keys.Any(k => k.EndsWith("-parameters.csv", StringComparison.Ordinal)))
            throw new FormatException($"{source}: a -parameters.csv marks a diagnostic test accuracy review, which has no pooled effects to import.");
        var problems = new List<RevManProblem>();
        var outcomes = new List<RevManOutcome>();
        for (var r = 0; r < settings.Rows.Count; r++)
        {
            var comparison = Int(settings, r, "Analysis group") ?? 0;
            var number = Int(settings, r, "Analysis number") ?? 0;
            var where = $"{Path.GetFileName(settings.Path)} row {settings.RowNumber(r)} (analysis {comparison}.{number})";
            var type = settings.Cell(r, "Data type") switch
            {
                "Dichotomous" => "DICH",
                "Continuous" => "CONT",
                "Contrast level" => "IV",
                "O-E and variance" => "IPD",
                var other => other ?? "",
            };
            var dataRows = Enumerable.Range(0, rows.Rows.Count)
                .Where(i => Int(rows, i, "Analysis group") == comparison && Int(rows, i, "Analysis number") == number)
                .Select(i => Row(rows, i, type, problems)).ToList();
            var subgroups = subgroupTable is null ? [] : Enumerable.Range(0, subgroupTable.Rows.Count)
                .Where(i => Int(subgroupTable, i, "Analysis group") == comparison && Int(subgroupTable, i, "Analysis number") == number)
                .Select(i => new RevManSubgroup(subgroupTable.Cell(i, "Subgroup") ?? "", Pooled(subgroupTable, i))).ToList();
            var method = settings.Cell(r, "Statistical method") is { } m && m != "#N/A" ? m : null;
            if (method == "EXP_O_E_VAR")
                method = "PETO";
            var test = Number(settings, r, "Subgroup Chi²") is { } q
                ? new RevManSubgroupTest(q, Int(settings, r, "Subgroup df"), Number(settings, r, "Subgroup P"), Number(settings, r, "Subgroup I²"))
                : null;
            if (type is not ("DICH" or "CONT" or "IV"))
                problems.Add(new(where, $"data type '{settings.Cell(r, "Data type")}' is not one Evidence pools; left out"));
            outcomes.Add(new RevManOutcome(comparison, number, settings.Cell(r, "Analysis group name") ?? "", settings.Cell(r, "Analysis name") ?? "",
                type, method, RevManMeasures.Short(settings.Cell(r, "Effect measure")), settings.Cell(r, "Analysis model")?.StartsWith("Random", StringComparison.OrdinalIgnoreCase) == true,
                settings.Cell(r, "Swap event and non-event") == "true", settings.Cell(r, "Log-scale data") == "true", dataRows, Pooled(settings, r), subgroups, test));
        }
        return new RevManReview(source, source, outcomes, problems, RevManPrecision.SixDecimals);
    }

    private static RevManRow Row(CsvTable rows, int i, string type, List<RevManProblem> problems)
    {
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        void Put(string key, string column)
        {
            if (Number(rows, i, column) is { } value)
                values[key] = value;
        }
        Put("events1", "Experimental cases");
        Put("total1", "Experimental N");
        Put("events2", "Control cases");
        Put("total2", "Control N");
        if (type == "CONT")
        {
            Put("mean1", "Experimental mean");
            Put("sd1", "Experimental SD");
            Put("mean2", "Control mean");
            Put("sd2", "Control SD");
        }
        if (type == "IV")
        {
            Put("effect", "GIV Mean");
            Put("se", "GIV SE");
        }
        if (type == "IPD")
        {
            Put("oe", "O-E");
            Put("variance", "Variance");
        }
        var study = rows.Cell(i, "Study") ?? $"row {rows.RowNumber(i)}";
        if (rows.Cell(i, "Applicability") is { } applicability && applicability != "SUBGROUP_AND_OVERALL")
            problems.Add(new($"{Path.GetFileName(rows.Path)} row {rows.RowNumber(i)} ({study})", $"applicability {applicability} is imported as counting in both the subgroup and the overall estimate"));
        if (rows.Cell(i, "Footnotes") is not null)
            problems.Add(new($"{Path.GetFileName(rows.Path)} row {rows.RowNumber(i)} ({study})", "a footnote, which is not imported"));
        return new RevManRow(study, RevMan5File.Year(rows.Cell(i, "Study year")), rows.Cell(i, "Subgroup"), values);
    }

    /// <summary>The stored estimate; null when the package stores none (empty, or 0 with a CI of 0 to 0: not calculated).</summary>
    private static RevManPooled? Pooled(CsvTable t, int r)
    {
        if (Number(t, r, "Mean") is not { } mean || Number(t, r, "CI start") is not { } lower || Number(t, r, "CI end") is not { } upper || (mean == 0 && lower == 0 && upper == 0))
            return null;
        return new RevManPooled(mean, lower, upper, Number(t, r, "Heterogeneity Tau²"), Number(t, r, "Heterogeneity Chi²"), Int(t, r, "Heterogeneity df"),
            Number(t, r, "Heterogeneity P"), Number(t, r, "Heterogeneity I²"), Number(t, r, "Effect Z"), Number(t, r, "Effect P"));
    }

    private static CsvTable? Table(IReadOnlyDictionary<string, byte[]> files, string suffix)
    {
        var name = files.Keys.Where(k => k.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)).OrderBy(k => k.Length).FirstOrDefault();
        if (name is null)
            return null;
        using var reader = new StreamReader(new MemoryStream(files[name]), detectEncodingFromByteOrderMarks: true);
        return CsvTable.Read(name, reader);
    }

    private static double? Number(CsvTable t, int r, string column) =>
        t.Cell(r, column) is { } text && text != "#N/A" && double.TryParse(text.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static int? Int(CsvTable t, int r, string column) => Number(t, r, column) is { } v ? (int)v : null;
}
