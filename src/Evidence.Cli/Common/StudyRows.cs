using System.Globalization;
using Evidence.Statistics;

namespace Evidence.Cli.Common;

/// <summary>The studies of a CSV data file, one per row, as <c>analyze</c> and <c>tsa</c> read them.</summary>
public static class StudyRows
{
    /// <summary>
    /// One study per row, labelled by <c>study</c> (or <c>trial</c>, else by its row number); numeric
    /// cells are values, every cell a label. The <paramref name="needed"/> columns (numbers) and the
    /// <paramref name="labelColumns"/> must exist; no two rows may name the same study, since the
    /// results name studies and a failing study is traced back to its row by name.
    /// </summary>
    public static List<StudyData> Read(CsvTable csv, IReadOnlyList<string> needed, IEnumerable<string?> labelColumns)
    {
        foreach (var column in needed.Concat(labelColumns).OfType<string>())
        {
            if (!csv.Has(column))
                throw new CsvException(csv.Path, 0, column, "is missing from the header");
        }
        var label = csv.Has("study") ? "study" : csv.Has("trial") ? "trial" : null;
        var studies = Enumerable.Range(0, csv.Rows.Count).Select(r =>
        {
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var column in csv.Header)
            {
                if (csv.Cell(r, column) is not { } cell)
                    continue;
                labels[column] = cell;
                if (double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
                    values[column] = number;
                else if (needed.Contains(column))
                    throw new CsvException(csv.Path, csv.RowNumber(r), column, $"'{cell}' is not a number");
            }
            return new StudyData((label is null ? null : csv.Cell(r, label)) ?? $"Study {csv.RowNumber(r)}", values, labels);
        }).ToList();
        var firstRow = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var r = 0; r < studies.Count; r++)
        {
            if (!firstRow.TryAdd(studies[r].Study, csv.RowNumber(r)))
                throw new CsvException(csv.Path, csv.RowNumber(r), label, $"'{studies[r].Study}' repeats the name of row {firstRow[studies[r].Study]}; each study needs its own name");
        }
        return studies;
    }

    /// <summary>An effect size that cannot be computed, as a CSV error naming the study's row and the field.</summary>
    public static CsvException Unusable(CsvTable csv, IReadOnlyList<StudyData> studies, EffectSizeException ex)
    {
        var index = studies.ToList().FindIndex(s => s.Study == ex.Study);
        var row = index < 0 ? 0 : csv.RowNumber(index);
        return new CsvException(csv.Path, row, ex.Field, $"{ex.Message[(ex.Message.IndexOf(": ", StringComparison.Ordinal) + 2)..]} (study '{ex.Study}')");
    }
}
