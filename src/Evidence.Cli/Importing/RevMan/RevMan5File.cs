using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace Evidence.Cli.Importing.RevMan;

/// <summary>
/// Reads a RevMan 5 review file (<c>.rm5</c>, XML) as real files come: the declared encoding
/// honoured, but UTF-8 content declared as ISO-8859-1 read as UTF-8, and bytes that are not valid
/// in the declared UTF-8 read as Windows-1252; a byte order mark skipped; <c>&amp;</c> and
/// <c>&lt;</c> left unescaped in text escaped; CRLF or LF, or one unbroken line. Only
/// <c>ANALYSES_AND_DATA</c>, the included studies and the title are read.
/// </summary>
public static partial class RevMan5File
{
    public static RevManReview Read(string path) => Parse(File.ReadAllBytes(path), Path.GetFileName(path));

    public static RevManReview Parse(byte[] bytes, string source)
    {
        var problems = new List<RevManProblem>();
        var document = XDocument.Parse(Repair(Decode(bytes)), LoadOptions.None);
        var root = document.Root ?? throw new FormatException($"{source} has no root element.");
        if (root.Name.LocalName != "COCHRANE_REVIEW")
            throw new FormatException($"{source}: the root element is {root.Name.LocalName}, not COCHRANE_REVIEW; is this a RevMan 5 file?");
        var title = root.Element("COVER_SHEET")?.Element("TITLE")?.Value.Trim() is { Length: > 0 } t ? Clean(t) : source;

        var studies = root.Descendants("INCLUDED_STUDIES").Elements("STUDY").ToDictionary(
            s => Unescape((string?)s.Attribute("ID") ?? ""),
            s => (Name: Clean((string?)s.Attribute("NAME") ?? ""), Year: StudyYear(s)),
            StringComparer.Ordinal);

        var outcomes = new List<RevManOutcome>();
        foreach (var comparison in root.Descendants("ANALYSES_AND_DATA").Elements("COMPARISON"))
        {
            var comparisonNo = Int(comparison, "NO") ?? 0;
            var comparisonName = Clean(comparison.Element("NAME")?.Value ?? "");
            foreach (var element in comparison.Elements().Where(e => e.Name.LocalName.EndsWith("_OUTCOME", StringComparison.Ordinal)))
            {
                var type = element.Name.LocalName[..^"_OUTCOME".Length];
                var where = $"comparison {comparisonNo}, outcome {Int(element, "NO")}";
                if (type is "OTHER")
                {
                    problems.Add(new(where, "an OTHER_OUTCOME holds text only, no numbers to pool; left out"));
                    continue;
                }
                var rows = new List<RevManRow>();
                var subgroups = new List<RevManSubgroup>();
                var hasSubgroups = (string?)element.Attribute("SUBGROUPS") == "YES";
                foreach (var child in element.Elements())
                {
                    var name = child.Name.LocalName;
                    if (name == $"{type}_DATA")
                        rows.Add(Row(child, null, studies, where, problems));
                    else if (name == $"{type}_SUBGROUP")
                    {
                        var subgroup = Clean(child.Element("NAME")?.Value ?? $"subgroup {Int(child, "NO")}");
                        subgroups.Add(new RevManSubgroup(subgroup, Pooled(child)));
                        rows.AddRange(child.Elements($"{type}_DATA").Select(d => Row(d, subgroup, studies, $"{where}, subgroup {subgroup}", problems)));
                    }
                }
                var measure = (string?)element.Attribute("EFFECT_MEASURE") ?? element.Element("EFFECT_MEASURE")?.Value;
                var test = hasSubgroups && Number(element, "Q") is { } q ? new RevManSubgroupTest(q, subgroups.Count(s => s.Pooled is not null) - 1, Number(element, "P_Q"), Number(element, "I2_Q")) : null;
                outcomes.Add(new RevManOutcome(comparisonNo, Int(element, "NO") ?? outcomes.Count + 1, comparisonName, Clean(element.Element("NAME")?.Value ?? ""),
                    type, (string?)element.Attribute("METHOD") ?? (type == "CONT" ? "IV" : null), RevManMeasures.Short(measure), (string?)element.Attribute("RANDOM") == "YES",
                    (string?)element.Attribute("SWAP_EVENTS") == "YES", (string?)element.Attribute("LOG_DATA") == "YES", rows, Pooled(element), subgroups, test));
            }
        }
        return new RevManReview(title, source, outcomes, problems, RevManPrecision.FullDouble);
    }

    private static RevManRow Row(XElement data, string? subgroup, Dictionary<string, (string Name, int? Year)> studies, string where, List<RevManProblem> problems)
    {
        var id = Unescape((string?)data.Attribute("STUDY_ID") ?? "");
        if (!studies.TryGetValue(id, out var study))
        {
            problems.Add(new(where, $"data row for study id '{id}', which is not among the included studies; its id is used as its name"));
            study = (id.StartsWith("STD-", StringComparison.Ordinal) ? id[4..] : id, null);
        }
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (attribute, key) in Columns)
        {
            if (Number(data, attribute) is { } value)
                values[key] = value;
        }
        if (data.Element("FOOTNOTE") is not null)
            problems.Add(new($"{where}, study {study.Name}", "a footnote, which is not imported"));
        return new RevManRow(study.Name, study.Year, subgroup, values);
    }

    private static readonly (string Attribute, string Key)[] Columns =
    [
        ("EVENTS_1", "events1"), ("TOTAL_1", "total1"), ("MEAN_1", "mean1"), ("SD_1", "sd1"),
        ("EVENTS_2", "events2"), ("TOTAL_2", "total2"), ("MEAN_2", "mean2"), ("SD_2", "sd2"),
        ("EFFECT_SIZE", "effect"), ("SE", "se"), ("O_E", "oe"), ("VAR", "variance"), ("ORDER", "order"),
    ];

    /// <summary>The stored result of an outcome or subgroup; null when RevMan stored none (empty, or not estimable).</summary>
    private static RevManPooled? Pooled(XElement e)
    {
        if ((string?)e.Attribute("ESTIMABLE") == "NO" || Number(e, "EFFECT_SIZE") is not { } estimate || Number(e, "CI_START") is not { } lower || Number(e, "CI_END") is not { } upper)
            return null;
        return new RevManPooled(estimate, lower, upper, Number(e, "TAU2"), Number(e, "CHI2"), Int(e, "DF"), Number(e, "P_CHI2"), Number(e, "I2"), Number(e, "Z"), Number(e, "P_Z"));
    }

    /// <summary>A number attribute: null when absent or empty; NaN and infinities as written.</summary>
    private static double? Number(XElement e, string name) =>
        (string?)e.Attribute(name) is { Length: > 0 } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? Int(XElement e, string name) =>
        int.TryParse((string?)e.Attribute(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    /// <summary>The study's year: its <c>YEAR</c>, else the year of its primary (or first) reference, else a year in its id.</summary>
    private static int? StudyYear(XElement study)
    {
        var references = study.Elements("REFERENCE").OrderBy(r => (string?)r.Attribute("PRIMARY") == "YES" ? 0 : 1);
        return Year((string?)study.Attribute("YEAR"))
            ?? references.Select(r => Year(r.Element("YR")?.Value)).FirstOrDefault(y => y is not null)
            ?? Year(Unescape((string?)study.Attribute("ID") ?? ""));
    }

    /// <summary>A year: the first four digits 1900-2100 in the text ("2006.", "1999a").</summary>
    public static int? Year(string? text) =>
        text is not null && YearPattern().Match(text) is { Success: true } m && int.Parse(m.Value, CultureInfo.InvariantCulture) is >= 1900 and <= 2100 and var year ? year : null;

    /// <summary>XML-name escapes in ids (<c>_x002d_</c> for "-").</summary>
    private static string Unescape(string id) => XmlConvert.DecodeName(id);

    private static string Clean(string text) => WhiteSpace().Replace(text, " ").Trim();

    /// <summary>
    /// The text of the file. The declared encoding is honoured unless the bytes say otherwise:
    /// declared ISO-8859-1 (or Windows-1252) but valid UTF-8 with multi-byte sequences is UTF-8;
    /// declared UTF-8 but not valid UTF-8 is Windows-1252. ISO-8859-1 is read as Windows-1252, its
    /// superset that real files mean.
    /// </summary>
    public static string Decode(byte[] bytes)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var windows1252 = Encoding.GetEncoding(1252);
        var span = bytes.AsSpan();
        if (span.StartsWith(new byte[] { 0xEF, 0xBB, 0xBF }))
            return Strict(span[3..]) ?? windows1252.GetString(span[3..]);
        if (span.StartsWith(new byte[] { 0xFF, 0xFE }) || span.StartsWith(new byte[] { 0xFE, 0xFF }))
            return (span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode).GetString(span[2..]);
        var head = Encoding.ASCII.GetString(span[..Math.Min(200, span.Length)]);
        var declared = DeclaredEncoding().Match(head) is { Success: true } m ? m.Groups[1].Value.ToUpperInvariant() : "UTF-8";
        var utf8 = Strict(span);
        var multiByte = bytes.Any(b => b >= 0x80);
        if (declared is "UTF-8" or "UTF8")
            return utf8 ?? windows1252.GetString(span);
        if (utf8 is not null && multiByte)
            return utf8;
        try
        {
            return declared is "ISO-8859-1" or "LATIN1" or "ISO8859-1" ? windows1252.GetString(span) : Encoding.GetEncoding(declared).GetString(span);
        }
        catch (ArgumentException)
        {
            return windows1252.GetString(span);
        }
    }

    private static string? Strict(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>
    /// Text an XML parser accepts: the declaration dropped (the text is decoded already), a
    /// <c>&amp;</c> that starts no entity or character reference escaped, and a <c>&lt;</c> that starts
    /// no tag, comment, declaration or processing instruction escaped.
    /// </summary>
    public static string Repair(string text)
    {
        text = XmlDeclaration().Replace(text, "", 1);
        text = LooseAmpersand().Replace(text, "&amp;");
        return LooseLessThan().Replace(text, "&lt;");
    }

    [GeneratedRegex(@"encoding\s*=\s*[""']([A-Za-z0-9._-]+)[""']")]
    private static partial Regex DeclaredEncoding();

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"&(?!(?:#[0-9]+|#x[0-9A-Fa-f]+|[A-Za-z_][A-Za-z0-9._-]*);)")]
    private static partial Regex LooseAmpersand();

    [GeneratedRegex(@"<(?![A-Za-z_/?!])")]
    private static partial Regex LooseLessThan();

    [GeneratedRegex(@"(?<![0-9])(1[89][0-9]{2}|20[0-9]{2}|2100)(?![0-9])")]
    private static partial Regex YearPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
