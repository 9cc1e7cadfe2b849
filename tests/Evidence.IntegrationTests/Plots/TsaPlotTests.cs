using System.Xml.Linq;
using Evidence.Api.Plots;
using Evidence.Domain.Sequential;

namespace Evidence.IntegrationTests.Plots;

/// <summary>The TSA plot drawn from sequential sections alone; the images are saved under <c>artifacts/tsa</c> in the test output folder to be looked at.</summary>
public sealed class TsaPlotTests
{
    private static readonly string Artifacts = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "tsa")).FullName;

    public static readonly TheoryData<string> Cases = new() { "crossing", "falling", "past-ris" };

    private static SequentialSection Section(string name) => name switch
    {
        "crossing" => TsaSections.Crossing(),
        "falling" => TsaSections.Falling(),
        _ => TsaSections.PastRis(),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Render_Should_DrawWellFormedSvgAndPng_WithEveryLookLabelled(string name)
    {
        var section = Section(name);
        var plot = TsaPlot.Render("Clinical response", section.Looks[^1].Version, section);

        var svg = plot.GetSvgXml(Style.Width, TsaPlot.Height);
        var png = plot.GetImageBytes(Style.Width, TsaPlot.Height, ScottPlot.ImageFormat.Png);
        File.WriteAllText(Path.Combine(Artifacts, name + ".svg"), svg);
        File.WriteAllBytes(Path.Combine(Artifacts, name + ".png"), png);

        XDocument.Parse(svg);
        Assert.Equal("PNG", System.Text.Encoding.ASCII.GetString(png, 1, 3));
        Assert.Contains($"Clinical response, version {section.Looks[^1].Version}", svg);
        Assert.Contains("Trial sequential analysis: a sensitivity analysis", svg);
        Assert.Contains($"RIS {TsaPlot.Participants(section.RisAdjusted)}", svg);
        Assert.Contains("Monitoring boundaries", svg);
        Assert.Contains($"v{section.Looks[^1].Version}", svg);
    }

    [Fact]
    public void Render_Should_DrawASectionWithoutARis_SayingWhy()
    {
        var section = new SequentialSection(TsaSections.Binary, 0, 0, 0, 0, 0, 0, 60, false, [], ControlRisk: 0, Note: "the pooled control risk is 0: no RIS");

        var svg = System.Net.WebUtility.HtmlDecode(TsaPlot.Render("Response", 1, section).GetSvgXml(Style.Width, TsaPlot.Height));

        XDocument.Parse(svg);
        Assert.Contains("No required information size", svg);
        Assert.Contains("the pooled control risk is 0: no RIS", svg);
        Assert.DoesNotContain("Required information size (", svg);
    }
}
