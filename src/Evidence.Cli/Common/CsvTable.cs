using System.Text;

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
        var records = Parse(File.ReadAllText(path), path);
        if (records.Count == 0)
            throw new CsvException(path, 0, null, "the file is empty");
        var header = records[0].Select(h => h.Trim()).ToList();
        var numbered = Enumerable.Range(1, records.Count - 1).Where(n => records[n].Any(c => c.Length > 0)).ToList();
        foreach (var n in numbered)
        {
            if (records[n].Count > header.Count)
                throw new CsvException(path, n, null, $"has {records[n].Count} cells but the header has {header.Count}");
        }
        return new CsvTable(path, header, numbered.Select(n => records[n]).ToList(), numbered);
    }

    private static List<IReadOnlyList<string>> Parse(string text, string path)
    {
        var records = new List<IReadOnlyList<string>>();
        var record = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        var quoteRow = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                    quoted = false;
                else
                    cell.Append(c);
                continue;
            }
            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    quoteRow = records.Count;
                    break;
                case ',':
                    record.Add(cell.ToString());
                    cell.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(cell.ToString());
                    cell.Clear();
                    records.Add(record);
                    record = [];
                    break;
                default:
                    cell.Append(c);
                    break;
            }
        }
        if (quoted)
            throw new CsvException(path, quoteRow, null, quoteRow == 0 ? "a quoted cell of the header is not closed" : "a quoted cell is not closed");
        if (cell.Length > 0 || record.Count > 0)
        {
            record.Add(cell.ToString());
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
