using System.Text.Json;
using System.Text.Unicode;
using Evidence.Domain;
using Evidence.Domain.Validation;
using Microsoft.Net.Http.Headers;

namespace Evidence.Api.Http;

/// <summary>The request body was larger than <see cref="JsonBody.MaxBytes"/>.</summary>
public sealed class PayloadTooLargeException(long limit) : DomainException($"The request body is larger than {limit} bytes.");

/// <summary>The request body is not declared as UTF-8 JSON.</summary>
public sealed class UnsupportedMediaTypeException()
    : DomainException("Send the body as JSON in UTF-8, with Content-Type: application/json.");

/// <summary>
/// Reads a request body as a JSON object and binds its fields by hand, so every bad field is reported
/// by its JSON path (the framework's binder stops at the first and names none).
/// </summary>
public sealed class JsonBody
{
    public const int MaxBytes = 256 * 1024;
    private const int MaxDepth = 16;
    private static readonly System.Text.UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly JsonElement root;
    private readonly FieldErrors errors;
    private readonly string prefix;
    private readonly HashSet<string> known = new(StringComparer.Ordinal);
    private readonly List<JsonBody> items = [];

    private JsonBody(JsonElement root, FieldErrors errors, string prefix) => (this.root, this.errors, this.prefix) = (root, errors, prefix);

    /// <summary>The raw bytes, kept so an idempotent retry can be compared with the first request.</summary>
    public required byte[] Raw { get; init; }

    /// <summary>Reads the body, at most <paramref name="maxBytes"/> (<see cref="MaxBytes"/> unless a route allows more).</summary>
    public static async Task<JsonBody> ReadAsync(HttpRequest request, CancellationToken ct, int maxBytes = MaxBytes)
    {
        if (!IsUtf8Json(request))
            throw new UnsupportedMediaTypeException();
        if (request.ContentLength > maxBytes)
            throw new PayloadTooLargeException(maxBytes);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > maxBytes)
                throw new PayloadTooLargeException(maxBytes);
            buffer.Write(chunk, 0, read);
        }
        var raw = buffer.ToArray();
        // The parser accepts invalid UTF-8 inside strings and fails only when they are read; refuse it here.
        if (!Utf8.IsValid(raw))
            throw Invalid("$", "The body is not valid UTF-8.");
        try
        {
            using var document = JsonDocument.Parse(raw, new JsonDocumentOptions { MaxDepth = MaxDepth });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid("$", "The body must be a JSON object.");
            RequireDecodableText(document.RootElement, "$");
            return new JsonBody(document.RootElement.Clone(), new FieldErrors(), "") { Raw = raw };
        }
        catch (JsonException ex)
        {
            throw Invalid("$", $"The body is not valid JSON: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            throw Invalid("$", $"The body is not valid UTF-8 JSON: {ex.Message}");
        }
    }

    /// <summary>Records an error found by the caller while binding.</summary>
    public void Error(string path, string message) => Add(path, message);

    public string? String(string name, string? path = null) => String(root, name, path ?? name);

    public bool? Bool(string name)
    {
        known.Add(name);
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
            return value.GetBoolean();
        Add(name, "must be true or false.");
        return null;
    }

    public int? Int(string name)
    {
        known.Add(name);
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
            return number;
        Add(name, "must be a whole number.");
        return null;
    }

    /// <summary>A finite number, or null when absent.</summary>
    public double? Number(string name) => Number(Value(name), name);

    /// <summary>A finite number read from <paramref name="value"/> (null when absent), errors under <paramref name="path"/>.</summary>
    public double? Number(JsonElement? value, string path)
    {
        if (value is not { } v)
            return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var number) && double.IsFinite(number))
            return number;
        Add(path, "must be a finite number.");
        return null;
    }

    /// <summary>The field as it was sent, or null when absent or null; the caller reads it and reports errors by path.</summary>
    public JsonElement? Value(string name)
    {
        known.Add(name);
        return root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
    }

    /// <summary>The members of an object field (each name once), or none when absent.</summary>
    public IEnumerable<(string Key, JsonElement Value)> Members(string name) => Properties(name);

    /// <summary>An array of strings; each bad item is reported by its index (<c>kinds[0]</c>). Null when absent.</summary>
    public IReadOnlyList<string>? Strings(string name)
    {
        known.Add(name);
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add(name, "must be an array of strings.");
            return null;
        }
        var result = new List<string>();
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String)
                result.Add(item.GetString()!);
            else
                errors.Add($"{name}[{index}]", "must be a string.");
            index++;
        }
        return result;
    }

    /// <summary>An object of string values; a null value is kept as null (it removes the entry in a correction).</summary>
    public Dictionary<string, string?> StringMap(string name)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in Properties(name))
        {
            if (value.ValueKind == JsonValueKind.Null)
                result[key] = null;
            else if (value.ValueKind == JsonValueKind.String)
                result[key] = value.GetString();
            else if (value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                result[key] = value.GetRawText();
            else
                Add($"{name}.{key}", "must be a string, a number or a boolean.");
        }
        return result;
    }

    /// <summary>An object of outcome id -> object of column -> finite number (or null for the whole outcome).</summary>
    public Dictionary<string, Dictionary<string, double>?> DataMap(string name)
    {
        var result = new Dictionary<string, Dictionary<string, double>?>(StringComparer.Ordinal);
        foreach (var (outcome, columns) in Properties(name))
        {
            if (columns.ValueKind == JsonValueKind.Null)
            {
                result[outcome] = null;
                continue;
            }
            if (columns.ValueKind != JsonValueKind.Object)
            {
                Add($"{name}.{outcome}", "must be an object of column -> number.");
                continue;
            }
            var values = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var column in columns.EnumerateObject())
            {
                var path = $"{name}.{outcome}.{column.Name}";
                if (values.ContainsKey(column.Name))
                    Add(path, "is given more than once.");
                else if (column.Value.ValueKind == JsonValueKind.Number && column.Value.TryGetDouble(out var number) && double.IsFinite(number))
                    values[column.Name] = number;
                else
                    Add(path, "must be a finite number.");
            }
            result[outcome] = values;
        }
        return result;
    }

    /// <summary>
    /// The objects of an array field, each bound as a body of its own whose errors are named under
    /// <c>name[index].</c>; none when the field is absent. At most <paramref name="max"/> are read:
    /// a longer array is an error on the field, and none of its items is bound.
    /// </summary>
    public IReadOnlyList<JsonBody> Items(string name, int max)
    {
        known.Add(name);
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return [];
        if (value.ValueKind != JsonValueKind.Array)
        {
            Add(name, "must be an array.");
            return [];
        }
        if (value.GetArrayLength() > max)
        {
            Add(name, $"must hold at most {max:N0} items; it holds {value.GetArrayLength():N0}.");
            return [];
        }
        var index = 0;
        var bodies = new List<JsonBody>();
        foreach (var item in value.EnumerateArray())
        {
            var path = $"{name}[{index++}]";
            if (item.ValueKind == JsonValueKind.Object)
                bodies.Add(new JsonBody(item, errors, $"{prefix}{path}.") { Raw = [] });
            else
                Add(path, "must be an object.");
        }
        items.AddRange(bodies);
        return bodies;
    }

    /// <summary>Throws every error found while binding, together with fields the contract does not know.</summary>
    public void ThrowIfInvalid()
    {
        AddUnknownFields();
        errors.ThrowIfAny();
    }

    private void AddUnknownFields()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (!seen.Add(property.Name))
                Add(property.Name, "is given more than once.");
            else if (!known.Contains(property.Name))
                Add(property.Name, "is not a field of this request.");
        }
        foreach (var item in items)
            item.AddUnknownFields();
    }

    private void Add(string path, string message) => errors.Add(prefix + path, message);

    private string? String(JsonElement parent, string name, string path)
    {
        known.Add(name);
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind == JsonValueKind.String)
            return value.GetString();
        Add(path, "must be a string.");
        return null;
    }

    private IEnumerable<(string Key, JsonElement Value)> Properties(string name)
    {
        known.Add(name);
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            yield break;
        if (value.ValueKind != JsonValueKind.Object)
        {
            Add(name, "must be an object.");
            yield break;
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            if (seen.Add(property.Name))
                yield return (property.Name, property.Value);
            else
                Add($"{name}.{property.Name}", "is given more than once.");
        }
    }

    /// <summary>
    /// Routing already refuses other media types (the endpoints' Accepts metadata), but not a request
    /// without Content-Type, nor JSON declared in another charset.
    /// </summary>
    private static bool IsUtf8Json(HttpRequest request) =>
        request.HasJsonContentType()
        && MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        && (!type.Charset.HasValue || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase));

    /// <summary>An escaped lone surrogate ("\ud800") is valid JSON but no string: reading it throws, so it is refused here.</summary>
    private static void RequireDecodableText(JsonElement element, string path)
    {
        try
        {
            if (element.ValueKind == JsonValueKind.String)
                element.GetString();
            else if (element.ValueKind == JsonValueKind.Array)
            {
                var index = 0;
                foreach (var item in element.EnumerateArray())
                    RequireDecodableText(item, $"{path}[{index++}]");
            }
            else if (element.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in element.EnumerateObject())
                    RequireDecodableText(property.Value, path == "$" ? property.Name : $"{path}.{property.Name}");
            }
        }
        catch (InvalidOperationException)
        {
            throw Invalid(path, "contains an escape that is not a character (a lone surrogate).");
        }
    }

    private static ValidationFailedException Invalid(string path, string message) =>
        new(new Dictionary<string, string[]> { [path] = [message] });
}
