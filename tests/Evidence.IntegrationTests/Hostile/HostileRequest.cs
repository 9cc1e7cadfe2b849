using System.Net.Http.Headers;
using System.Text;

namespace Evidence.IntegrationTests.Hostile;

/// <summary>A request no client should be able to hurt the API with, and the 4xx it must get.</summary>
public sealed record HostileRequest(string Name, HttpMethod Method, string Path, int Status)
{
    public byte[]? Body { get; init; }

    /// <summary>The body's media type; null sends none.</summary>
    public string? ContentType { get; init; } = "application/json";

    /// <summary>Sent as given, in this order; a name given twice is sent twice.</summary>
    public IReadOnlyList<(string Name, string Value)> Headers { get; init; } = [];

    /// <summary>Sends the body without Content-Length, as a chunked upload would.</summary>
    public bool Chunked { get; init; }

    public HostileRequest With(string header, string value) => this with { Headers = [.. Headers, (header, value)] };

    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(Method, Path);
        if (Body is not null)
        {
            message.Content = Chunked ? new StreamContent(new MemoryStream(Body)) : new ByteArrayContent(Body);
            if (Chunked)
                message.Content.Headers.ContentLength = null;
            if (ContentType is not null)
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
        }
        foreach (var (name, value) in Headers)
            message.Headers.TryAddWithoutValidation(name, value);
        return message;
    }

    public override string ToString() => Name;

    public static HostileRequest Post(string name, string path, string json, int status = 400) =>
        new(name, HttpMethod.Post, path, status) { Body = Encoding.UTF8.GetBytes(json) };

    public static HostileRequest PostBytes(string name, string path, byte[] body, int status = 400) =>
        new(name, HttpMethod.Post, path, status) { Body = body };

    public static HostileRequest Get(string name, string path, int status = 400) => new(name, HttpMethod.Get, path, status);

    /// <summary>Bytes of <paramref name="before"/>, then <paramref name="raw"/> as they are, then <paramref name="after"/>.</summary>
    public static byte[] Spliced(string before, byte[] raw, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. raw, .. Encoding.UTF8.GetBytes(after)];

    /// <summary>The value of an <c>Authorization</c> header carrying <paramref name="key"/>.</summary>
    public static string Bearer(string key) => new AuthenticationHeaderValue("Bearer", key).ToString();
}
