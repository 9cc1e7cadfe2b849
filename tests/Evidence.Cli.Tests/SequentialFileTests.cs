using Evidence.Cli.Common;
using Evidence.Cli.Importing;

namespace Evidence.Cli.Tests;

/// <summary><c>sequential.csv</c>: an outcome's trial sequential analysis parameters, read into the API's request.</summary>
public class SequentialFileTests
{
    private const string Header = "outcome,alpha,beta,control_risk,relative_risk_reduction,mean_difference,standard_deviation,heterogeneity,spending,reason";

    [Fact]
    public void TheSample_Should_SetTheResponseOutcome_WithPooledControlRiskAndARelativeIncrease()
    {
        var rows = ReviewFiles.Sequential(CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "samples", "sequential.csv")));

        var response = Assert.Single(rows);
        Assert.Equal(new SequentialRequest("response", 0.05, 0.2, "pooled", -0.3, null, null, "D2", "OBF", response.Reason), response);
        Assert.Contains("sensitivity analysis", response.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Body_Should_SendNumbersAsNumbers_AndPooledAndNamedAdjustmentsAsText()
    {
        var pooled = ReviewFiles.Sequential(Read("response,0.05,0.1,pooled,-0.5,,,d2,pocock,why"))[0];
        var given = ReviewFiles.Sequential(Read("das28,0.01,0.2,,,0.5,1.2,0.25,OBF,why"))[0];

        Assert.Equal("""{"alpha":0.05,"beta":0.1,"controlRisk":"pooled","relativeRiskReduction":-0.5,"heterogeneity":"D2","spending":"Pocock","reason":"why"}""", Json(pooled));
        Assert.Equal("""{"alpha":0.01,"beta":0.2,"meanDifference":0.5,"standardDeviation":1.2,"heterogeneity":0.25,"spending":"OBF","reason":"why"}""", Json(given));
        Assert.Equal("none", ReviewFiles.Sequential(Read("response,0.05,0.2,0.3,0.2,,,NONE,OBF,why"))[0].Heterogeneity);
        Assert.Equal("""{"alpha":0.05,"beta":0.2,"controlRisk":0.3,"relativeRiskReduction":0.2,"heterogeneity":"none","spending":"OBF","reason":"why"}""",
            Json(ReviewFiles.Sequential(Read("response,0.05,0.2,0.3,0.2,,,NONE,OBF,why"))[0]));
    }

    [Theory]
    [InlineData("response,0.05,0.2,pooled,-0.5,,,D3,OBF,why", "row 1, column 'heterogeneity': 'D3' is not D2, I2, none or a fraction")]
    [InlineData("response,0.05,0.2,pooled,-0.5,,,D2,Haybittle,why", "row 1, column 'spending': 'Haybittle' is not OBF or Pocock")]
    [InlineData("response,0.05,0.2,half,-0.5,,,D2,OBF,why", "row 1, column 'control_risk': 'half' is not a finite number")]
    [InlineData("response,,0.2,pooled,-0.5,,,D2,OBF,why", "row 1, column 'alpha': '' is not a finite number")]
    [InlineData("response,0.05,0.2,pooled,-0.5,,,D2,OBF,", "row 1, column 'reason': is empty")]
    public void ABadCell_Should_BeNamedByRowAndColumn(string row, string message)
    {
        var ex = Assert.Throws<CsvException>(() => ReviewFiles.Sequential(Read(row)));
        Assert.EndsWith(message, ex.Message, StringComparison.Ordinal);
    }

    private static string Json(SequentialRequest request) =>
        System.Text.Json.JsonSerializer.Serialize(request.Body(), new System.Text.Json.JsonSerializerOptions
        {
            DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
        });

    private static CsvTable Read(string row)
    {
        var path = Path.Combine(Path.GetTempPath(), $"evidence-sequential-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, Header + "\n" + row + "\n");
        return CsvTable.Read(path);
    }
}
