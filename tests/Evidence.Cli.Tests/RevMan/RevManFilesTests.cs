using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Evidence.Cli.Importing.RevMan;
using Evidence.Statistics;
using Evidence.Statistics.Analyses;

namespace Evidence.Cli.Tests.RevMan;

/// <summary>Reading RevMan 5 files and RevMan Web data packages (fixtures: Fleiss 1993 from the R package meta, GPL; see Fixtures/NOTICE.md).</summary>
public sealed class RevManFilesTests
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "RevMan", "Fixtures");
    private static readonly string Rm5 = Path.Combine(Fixtures, "Fleiss1993.rm5");
    private static readonly string Package = Path.Combine(Fixtures, "921923100913455418-analysis-data");

    [Fact]
    public void Rm5_Should_ReadOutcomesStudiesAndStoredResults()
    {
        var review = RevMan5File.Read(Rm5);

        Assert.Equal("Examples from Fleiss 1993", review.Title);
        Assert.Equal(2, review.Outcomes.Count);
        var aspirin = review.Outcomes[0];
        Assert.Equal(("1.1", "DICH", "MH", "OR", false), (aspirin.Label, aspirin.Type, aspirin.Method, aspirin.Measure, aspirin.Random));
        Assert.Equal(7, aspirin.Rows.Count);
        var mrc = aspirin.Rows[0];
        Assert.Equal(("MRC-1", 1974), (mrc.Study, mrc.Year));
        Assert.Equal([49, 615, 67, 624], new[] { "events1", "total1", "events2", "total2" }.Select(k => mrc.Values[k]));
        Assert.Equal(0.8968655609130709, aspirin.Pooled!.Estimate);
        Assert.Equal((9.946055983220074, 6), (aspirin.Pooled.Q, aspirin.Pooled.Df));
        var mental = review.Outcomes[1];
        Assert.Equal(("CONT", "IV", "SMD"), (mental.Type, mental.Method, mental.Measure));
        Assert.Null(mental.Pooled);
        Assert.Equal([5, 4.7, 13, 6.5, 3.8, 13], new[] { "mean1", "sd1", "total1", "mean2", "sd2", "total2" }.Select(k => mental.Rows.Single(r => r.Study == "Davis").Values[k]));
    }

    [Fact]
    public void DataPackage_Should_ReadTheFolderAndTheZip_WithLfOrCrlf()
    {
        var folder = DataPackage.Read(Package);
        var zip = DataPackage.Parse(DataPackage.Unzip(Zip(crlf: true)), "package.zip");

        foreach (var review in new[] { folder, zip })
        {
            var aspirin = review.Outcomes.Single(o => o.Label == "1.1");
            Assert.Equal(("DICH", "MH", "OR", false), (aspirin.Type, aspirin.Method, aspirin.Measure, aspirin.Random));
            Assert.Equal(7, aspirin.Rows.Count);
            Assert.Equal(1980, aspirin.Rows.Single(r => r.Study == "AMIS").Year);
            Assert.Equal((0.896866, 0.840514, 0.956995), (aspirin.Pooled!.Estimate, aspirin.Pooled.CiLower, aspirin.Pooled.CiUpper));
            Assert.Null(aspirin.Pooled.Tau2);
            var mental = review.Outcomes.Single(o => o.Label == "1.2");
            Assert.Equal(("CONT", "SMD"), (mental.Type, mental.Measure));
            Assert.Null(mental.Pooled);
            Assert.Equal(RevManPrecision.SixDecimals, review.Precision);
        }
    }

    [Fact]
    public void Rm5_Should_CopeWithWrongEncodings_ABom_UnescapedCharacters_AndCrlf()
    {
        const string text = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\r\n<COCHRANE_REVIEW TYPE=\"INTERVENTION\">\r\n"
            + "<COVER_SHEET><TITLE>Drugs & devices for x < 5 in Müller's cohort</TITLE></COVER_SHEET>\r\n"
            + "<STUDIES_AND_REFERENCES><STUDIES><INCLUDED_STUDIES><STUDY ID=\"STD-M_x00fc_ller_x002d_2001\" NAME=\"Müller-2001\" YEAR=\"2001.\"/>"
            + "<STUDY ID=\"STD-Roe\" NAME=\"Roe\"><REFERENCE PRIMARY=\"NO\"><YR>1996</YR></REFERENCE><REFERENCE PRIMARY=\"YES\"><YR>1995</YR></REFERENCE></STUDY></INCLUDED_STUDIES></STUDIES></STUDIES_AND_REFERENCES>\r\n"
            + "<ANALYSES_AND_DATA><COMPARISON NO=\"1\"><NAME>A & B</NAME>"
            + "<DICH_OUTCOME NO=\"1\" METHOD=\"MH\" EFFECT_MEASURE=\"RR\" RANDOM=\"YES\"><NAME>Death</NAME>"
            + "<DICH_DATA STUDY_ID=\"STD-M_x00fc_ller_x002d_2001\" EVENTS_1=\"1\" TOTAL_1=\"10\" EVENTS_2=\"2\" TOTAL_2=\"10\"><FOOTNOTE>p < .05</FOOTNOTE></DICH_DATA>"
            + "<DICH_DATA STUDY_ID=\"STD-Roe\" EVENTS_1=\"3\" TOTAL_1=\"10\" EVENTS_2=\"4\" TOTAL_2=\"10\"/>"
            + "</DICH_OUTCOME><OTHER_OUTCOME NO=\"2\"><NAME>Text</NAME></OTHER_OUTCOME></COMPARISON></ANALYSES_AND_DATA></COCHRANE_REVIEW>\r\n";
        var utf8WithBom = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        var utf8DeclaredLatin1 = Encoding.UTF8.GetBytes(text);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var latin1DeclaredUtf8 = Encoding.GetEncoding(1252).GetBytes(text.Replace("ISO-8859-1", "UTF-8"));
        var latin1 = Encoding.GetEncoding(1252).GetBytes(text);

        foreach (var bytes in new[] { utf8WithBom, utf8DeclaredLatin1, latin1DeclaredUtf8, latin1 })
        {
            var review = RevMan5File.Parse(bytes, "test.rm5");

            Assert.Equal("Drugs & devices for x < 5 in Müller's cohort", review.Title);
            var death = Assert.Single(review.Outcomes);
            Assert.Equal(("Müller-2001", 2001), (death.Rows[0].Study, death.Rows[0].Year));
            Assert.Equal(("Roe", 1995), (death.Rows[1].Study, death.Rows[1].Year));
            Assert.True(death.Random);
            Assert.Contains(review.Problems, p => p.What.Contains("OTHER_OUTCOME", StringComparison.Ordinal));
            Assert.Contains(review.Problems, p => p.What.Contains("footnote", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Mapping_Should_GiveRevMan5Outcomes_AndTrialsWithTheirDataPerOutcome()
    {
        var import = RevManMapping.Map(RevMan5File.Read(Rm5));

        Assert.Equal(["c1-o1", "c1-o2"], import.Outcomes.Select(o => o.Request.Id));
        var aspirin = import.Outcomes[0].Request;
        Assert.Equal(("binary", "OR", "MH", "revman5"), (aspirin.DataType, aspirin.Measure, aspirin.Method, aspirin.Conventions));
        Assert.Equal(("continuous", "SMD", "FE"), (import.Outcomes[1].Request.DataType, import.Outcomes[1].Request.Measure, import.Outcomes[1].Request.Method));
        Assert.Equal(12, import.Trials.Count);
        var isis = import.Trials.Single(t => t.Id == "isis-2");
        Assert.Equal(1988, isis.Year);
        Assert.Equal(new Dictionary<string, double> { ["ai"] = 1570, ["bi"] = 8587 - 1570, ["ci"] = 1720, ["di"] = 8600 - 1720 }, isis.Data["c1-o1"]);
        Assert.Equal(import.Trials.OrderBy(t => t.Year).Select(t => t.Year), import.Trials.Select(t => t.Year));
        Assert.Empty(import.Problems);
    }

    [Fact]
    public void Mapping_Should_PutSubgroupsInATrialAttribute_AndReportWhatItLeavesOut()
    {
        var rows = new List<RevManRow>
        {
            new("Smith 1999", null, "blinded", new Dictionary<string, double> { ["events1"] = 1, ["total1"] = 10, ["events2"] = 2, ["total2"] = 10 }),
            new("Jones", null, "open", new Dictionary<string, double> { ["events1"] = 3, ["total1"] = 10, ["events2"] = 2, ["total2"] = 10 }),
            new("Jones", null, "blinded", new Dictionary<string, double> { ["events1"] = 3, ["total1"] = 10, ["events2"] = 2, ["total2"] = 10 }),
        };
        var outcome = new RevManOutcome(2, 3, "c", "Cure", "DICH", "IV", "RR", true, false, false, rows, null, [], null);
        var ipd = outcome with { Number = 4, Type = "IPD" };

        var import = RevManMapping.Map(new RevManReview("t", "t.rm5", [outcome, ipd], [], RevManPrecision.FullDouble));

        var mapped = Assert.Single(import.Outcomes);
        Assert.Equal(("subgroup-c2-o3", "DL"), (mapped.Request.Subgroup, mapped.Request.Method));
        Assert.False(mapped.SameMethod);
        Assert.Equal("blinded", import.Trials.Single(t => t.Id == "smith-1999").Attributes["subgroup-c2-o3"]);
        Assert.Equal(1999, import.Trials.Single(t => t.Id == "smith-1999").Year);
        Assert.Equal(RevManMapping.UnknownYear, import.Trials.Single(t => t.Id == "jones").Year);
        Assert.Contains(import.Problems, p => p.Where.Contains("2.4", StringComparison.Ordinal));
        Assert.Contains(import.Problems, p => p.What.Contains("second data row (subgroup blinded); recorded as the trial 'jones-blinded'", StringComparison.Ordinal));
        var second = import.Trials.Single(t => t.Id == "jones-blinded");
        Assert.Equal(("Jones", "blinded"), (second.Attributes["revman-study"], second.Attributes["subgroup-c2-o3"]));
        Assert.Equal("open", import.Trials.Single(t => t.Id == "jones").Attributes["subgroup-c2-o3"]);
        Assert.Contains(import.Problems, p => p.What.Contains("no year", StringComparison.Ordinal));
        Assert.Contains(import.Problems, p => p.What.Contains("inverse-variance random effects", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Comparison_Should_FindNoDifference_WhenTheRevMan5ConventionsPoolOutcome1_1(bool package)
    {
        var review = package ? DataPackage.Read(Package) : RevMan5File.Read(Rm5);
        var import = RevManMapping.Map(review);
        var aspirin = import.Outcomes.Single(o => o.Request.Id == "c1-o1");
        var studies = import.Trials.Where(t => t.Data.ContainsKey("c1-o1")).Select(t => new StudyData(t.Id, t.Data["c1-o1"])).ToList();
        var result = MetaAnalysis.Run(studies, new AnalysisSettings(Measure.OR, Method.MH) { Conventions = Conventions.RevMan5 });
        var json = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(result));

        Assert.Empty(RevManComparison.Compare(aspirin, json, review.Precision));
        var metafor = JsonSerializer.SerializeToElement(AnalysisJson.ToJson(MetaAnalysis.Run(studies, new AnalysisSettings(Measure.OR, Method.FE))));
        Assert.NotEmpty(RevManComparison.Compare(aspirin, metafor, review.Precision));
    }

    /// <summary>The package's CSVs zipped as RevMan Web nests them (the data zip inside the export), with CRLF line ends if asked.</summary>
    private static byte[] Zip(bool crlf)
    {
        using var inner = new MemoryStream();
        using (var archive = new ZipArchive(inner, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var file in Directory.GetFiles(Package))
            {
                var bytes = File.ReadAllBytes(file);
                if (crlf)
                    bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).Replace("\r\n", "\n").Replace("\n", "\r\n"));
                using var entry = archive.CreateEntry($"921923100913455418-analysis-data/{Path.GetFileName(file)}").Open();
                entry.Write(bytes);
            }
        }
        using var outer = new MemoryStream();
        using (var archive = new ZipArchive(outer, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = archive.CreateEntry("Fleiss1993/921923100913455418-files/921923100913455418-data.zip").Open();
            entry.Write(inner.ToArray());
        }
        return outer.ToArray();
    }
}
