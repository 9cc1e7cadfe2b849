using Evidence.Cli.Common;

namespace Evidence.Cli.Tests;

/// <summary>What the CSV reader tells about a file: rows numbered as the file shows them, and each fault in one line.</summary>
public sealed class CsvTableTests : IDisposable
{
    private readonly string file = Path.Combine(Path.GetTempPath(), $"evidence-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(file);

    private CsvTable Read(string text)
    {
        File.WriteAllText(file, text);
        return CsvTable.Read(file);
    }

    private string Fault(string text) => Assert.Throws<CsvException>(() => Read(text)).Message[(Path.GetFileName(file).Length + 2)..];

    [Fact]
    public void BlankRowsAndQuotedLineBreaks_Should_KeepTheRowNumbersOfTheRecords()
    {
        var csv = Read("study, n \r\n\"A, \"\"first\"\"\",1\n\n\"B\nlate\",2\n\nC,\n");

        Assert.Equal(["study", "n"], csv.Header);
        Assert.Equal([1, 3, 5], Enumerable.Range(0, csv.Rows.Count).Select(csv.RowNumber));
        Assert.Equal("A, \"first\"", csv.Cell(0, "study"));
        Assert.Equal("B\nlate", csv.Cell(1, "study"));
        Assert.Null(csv.Cell(2, "n"));
        Assert.Null(csv.Cell(2, "absent"));
    }

    [Fact]
    public void StrayQuoteInAnUnquotedCell_Should_BeKeptAsText()
    {
        var csv = Read("study,n\nO\"Brien 1990,1\n");

        Assert.Equal("O\"Brien 1990", csv.Cell(0, "study"));
    }

    [Theory]
    [InlineData("study,n\nA,1\n\"B,2\nC,3\n", "row 2: a quoted cell is not closed")]
    [InlineData("study,\"n\nA,1\n", "a quoted cell of the header is not closed")]
    [InlineData("study,n\nA,1,2\n", "row 1: has 3 cells but the header has 2")]
    [InlineData("", "the file is empty")]
    public void BadFile_Should_SayWhereInOneLine(string text, string message) => Assert.Equal(message, Fault(text));

    [Fact]
    public void MissingFile_Should_BeNamed()
    {
        var ex = Assert.Throws<CsvException>(() => CsvTable.Read(file));

        Assert.Equal($"{Path.GetFileName(file)}: file not found", ex.Message);
    }
}
