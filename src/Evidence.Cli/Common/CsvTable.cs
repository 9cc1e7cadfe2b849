using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Evidence.Cli.Common;

/// <summary>
/// A CSV file read whole (RFC 4180 quoting), with its header. Blank rows are left out of
/// <see cref="Rows"/> but still counted by <see cref="RowNumber"/>, the number messages give.
/// </summary>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> index;
    private readonly IReadOnlyList<int> rowNumbers;

    private CsvTable(string path, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows, IReadOnlyList<int> rowNumbers)
    {
        Path = path;
        Header = header;
        Rows = rows;
        this.rowNumbers = rowNumbers;
        index = header.Select((h, i) => (h, i)).GroupBy(x => x.h, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().i, StringComparer.Ordinal);
    }

    public string Path { get; }

    public IReadOnlyList<string> Header { get; }

    public IReadOnlyList<IReadOnlyList<string>> Rows { get; }

    public bool Has(string column) => index.ContainsKey(column);

    /// <summary>The row's number in the file: 1 for the first record after the header, blank records counted.</summary>
    public int RowNumber(int row) => rowNumbers[row];

    /// <summary>The cell, or null when the column is absent or the cell empty.</summary>
    public string? Cell(int row, string column) =>
        index.TryGetValue(column, out var i) && i < Rows[row].Count && Rows[row][i].Trim() is { Length: > 0 } v ? v : null;

    public static CsvTable Read(string path)
    {
        if (!File.Exists(path))
            throw new CsvException(path, 0, null, "file not found");
        using var reader = new StreamReader(path);
        return Read(path, reader);
    }

    /// <summary>A CSV read from <paramref name="reader"/> (a file inside an archive, say), named <paramref name="path"/> in messages.</summary>
    public static CsvTable Read(string path, TextReader reader)
    {
        var records = Records(path, reader);
        if (records.Count == 0)
            throw new CsvException(path, 0, null, "the file is empty");
        var header = records[0].Select(h => h.Trim()).ToList();
        var numbered = Enumerable.Range(1, records.Count - 1).Where(n => records[n].Any(c => c.Length > 0)).ToList();
        foreach (var n in numbered)
        {
            if (records[n].Length > header.Count)
                throw new CsvException(path, n, null, $"has {records[n].Length} cells but the header has {header.Count}");
        }
        return new CsvTable(path, header, numbered.Select(n => records[n]).ToList(), numbered);
    }

    /// <summary>Every record of the file, blank ones included, so that a record's index is its row number.</summary>
    private static List<string[]> Records(string path, TextReader reader)
    {
        var unclosed = -1;
        var records = new List<string[]>();
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            IgnoreBlankLines = false,
            // A stray quote inside an unquoted cell is kept as text, as spreadsheets write it; a quoted
            // cell that is never closed runs to the end of the file and leaves an odd number of quotes.
            BadDataFound = bad =>
            {
                if (bad.Field.StartsWith('"') && bad.Field.Count(c => c == '"') % 2 == 1)
                    unclosed = records.Count;
            },
        };
        using var parser = new CsvParser(reader, configuration);
        while (parser.Read())
        {
            var record = parser.Record ?? [];
            if (unclosed >= 0)
                throw new CsvException(path, unclosed, null, unclosed == 0 ? "a quoted cell of the header is not closed" : "a quoted cell is not closed");
            records.Add(record);
        }
        return records;
    }
}

/// <summary>A CSV file is unusable; names the data row (1-based, after the header) and column.</summary>
public sealed class CsvException(string path, int row, string? column, string message) : Exception(Format(path, row, column, message))
{
    private static string Format(string path, int row, string? column, string message)
    {
        var where = new[] { row > 0 ? $"row {row}" : null, column is null ? null : $"column '{column}'" }.OfType<string>().ToList();
        return $"{Path.GetFileName(path)}{(where.Count > 0 ? ", " + string.Join(", ", where) : "")}: {message}";
    }
}
