using System.Globalization;
using System.Text;
using System.Xml;
using Evidence.Domain.Judgement;
using Evidence.Domain.Reviews;
using Evidence.Domain.Snapshots;

namespace Evidence.Api.Feeds;

/// <summary>A version that raised signals, as its feed entry shows it.</summary>
public sealed record SignalledVersion(string OutcomeId, long Version, SnapshotCause Cause, IReadOnlyList<Signal> Signals);

/// <summary>
/// A review's signals as an Atom feed (RFC 4287): one entry per version that raised any, newest
/// first. Every text is written by <see cref="XmlWriter"/>, so titles, reasons and user names are
/// escaped; characters XML cannot carry at all are replaced by U+FFFD.
/// </summary>
public static class AtomFeed
{
    public const string MediaType = "application/atom+xml";
    public const string Namespace = "http://www.w3.org/2005/Atom";

    /// <summary>The scheme of the entries' categories: a signal's kind (<see cref="SignalKinds"/>).</summary>
    public const string SignalKindScheme = "urn:evidence:signal-kind";

    /// <summary>The feed's id: <c>urn:evidence:{review}</c>, stable for the review's life.</summary>
    public static string FeedId(string review) => $"urn:evidence:{Escape(review)}";

    /// <summary>An entry's id: <c>urn:evidence:{review}:{outcome}:{version}</c>, each part percent-encoded so none can hold a ':'.</summary>
    public static string EntryId(string review, string outcome, long version) =>
        $"urn:evidence:{Escape(review)}:{Escape(outcome)}:{version.ToString(CultureInfo.InvariantCulture)}";

    /// <param name="review">The review as it stands; its outcomes name the entries.</param>
    /// <param name="versions">The versions with signals, newest first.</param>
    /// <param name="origin">Scheme, host and path base of the API, without a trailing slash.</param>
    /// <param name="self">The feed's own address as requested.</param>
    public static byte[] Write(Review review, IReadOnlyList<SignalledVersion> versions, string origin, string self)
    {
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var xml = XmlWriter.Create(buffer, settings))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("feed", Namespace);
            xml.WriteElementString("id", Namespace, FeedId(review.Id));
            TextElement(xml, "title", review.Title);
            TextElement(xml, "subtitle", review.Question);
            xml.WriteElementString("updated", Namespace, Time(versions.Count == 0 ? review.CreatedAt : versions.Max(v => v.Cause.At)));
            Author(xml, review.CreatedBy);
            Link(xml, "self", MediaType, self);
            Link(xml, "alternate", "application/json", $"{origin}/reviews/{Escape(review.Id)}");
            xml.WriteElementString("generator", Namespace, "Evidence");
            foreach (var version in versions)
                Entry(xml, review, version, origin);
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }
        return buffer.ToArray();
    }

    private static void Entry(XmlWriter xml, Review review, SignalledVersion version, string origin)
    {
        var outcome = review.Outcomes.TryGetValue(version.OutcomeId, out var o) ? o.Name : version.OutcomeId;
        var kinds = version.Signals.Select(s => s.Kind).Distinct(StringComparer.Ordinal).ToList();
        xml.WriteStartElement("entry", Namespace);
        xml.WriteElementString("id", Namespace, EntryId(review.Id, version.OutcomeId, version.Version));
        TextElement(xml, "title", $"{outcome} v{version.Version}: {string.Join(", ", kinds)}");
        xml.WriteElementString("updated", Namespace, Time(version.Cause.At));
        Author(xml, version.Cause.By);
        Link(xml, "alternate", "application/json",
            $"{origin}/reviews/{Escape(review.Id)}/outcomes/{Escape(version.OutcomeId)}/snapshots/{version.Version.ToString(CultureInfo.InvariantCulture)}");
        foreach (var kind in kinds)
        {
            xml.WriteStartElement("category", Namespace);
            xml.WriteAttributeString("term", Clean(kind));
            xml.WriteAttributeString("scheme", SignalKindScheme);
            xml.WriteEndElement();
        }
        TextElement(xml, "summary", string.Join("; ", version.Signals.Select(s => s.Text)));
        TextElement(xml, "content", string.Join("\n", version.Signals.Select(s => $"{s.Kind}: {s.Text}").Append(Cause(version.Cause))));
        xml.WriteEndElement();
    }

    private static string Cause(SnapshotCause cause)
    {
        var trial = cause.TrialId is not null ? $" {cause.TrialId}" : cause.Batch is { } batch ? $" ({batch.TrialCount}, batch {batch.Id})" : "";
        var reason = string.IsNullOrWhiteSpace(cause.Reason) ? "" : $": {cause.Reason}";
        return $"cause: {cause.Type}{trial} by {cause.By}{reason}";
    }

    private static void TextElement(XmlWriter xml, string name, string text)
    {
        xml.WriteStartElement(name, Namespace);
        xml.WriteAttributeString("type", "text");
        xml.WriteString(Clean(text));
        xml.WriteEndElement();
    }

    private static void Author(XmlWriter xml, string name)
    {
        xml.WriteStartElement("author", Namespace);
        xml.WriteElementString("name", Namespace, Clean(name));
        xml.WriteEndElement();
    }

    private static void Link(XmlWriter xml, string rel, string type, string href)
    {
        xml.WriteStartElement("link", Namespace);
        xml.WriteAttributeString("rel", rel);
        xml.WriteAttributeString("type", type);
        xml.WriteAttributeString("href", Clean(href));
        xml.WriteEndElement();
    }

    /// <summary>An RFC 3339 date-time in UTC, to the millisecond.</summary>
    private static string Time(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string part) => Uri.EscapeDataString(part);

    /// <summary>The text with every character XML 1.0 cannot hold (controls, lone surrogates) replaced by U+FFFD.</summary>
    private static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
            return text;
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                clean.Append(c).Append(text[++i]);
            else
                clean.Append(XmlConvert.IsXmlChar(c) ? c : '\uFFFD');
        }
        return clean.ToString();
    }
}
