using System.Globalization;
using Evidence.Domain.Validation;

namespace Evidence.Api.Http;

/// <summary>
/// A page size from the query string, read as text so that a value that is not a number is a 400
/// naming the field, like one out of range, rather than a binding failure.
/// </summary>
public static class QueryLimit
{
    /// <summary>The value of <paramref name="name"/>: <paramref name="fallback"/> when absent, else a whole number from 1 to <paramref name="max"/>.</summary>
    public static int Parse(FieldErrors errors, string name, string? text, int fallback, int max)
    {
        if (text is null)
            return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 && value <= max)
            return value;
        errors.Add(name, $"must be a whole number from 1 to {max}.");
        return fallback;
    }
}
