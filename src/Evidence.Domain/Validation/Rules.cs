using System.Text.RegularExpressions;

namespace Evidence.Domain.Validation;

/// <summary>Limits and checks shared by every command.</summary>
public static partial class Rules
{
    public const int MaxIdLength = 64;
    public const int MaxShortText = 200;
    public const int MaxLongText = 4000;
    public const int MaxAttributes = 50;
    public const int MinYear = 1900;
    public const int MaxYear = 2100;

    /// <summary>Lower-case letters, digits and single hyphens; starts with a letter or digit.</summary>
    [GeneratedRegex("^[a-z0-9]+(?:-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex SlugPattern();

    public static bool IsSlug(string? value) =>
        value is { Length: > 0 and <= MaxIdLength } && SlugPattern().IsMatch(value);

    public static void Slug(FieldErrors errors, string path, string? value)
    {
        if (string.IsNullOrEmpty(value))
            errors.Add(path, "is required.");
        else if (value.Length > MaxIdLength)
            errors.Add(path, $"must be at most {MaxIdLength} characters.");
        else if (!IsSlug(value))
            errors.Add(path, "must be a slug: lower-case letters, digits and single hyphens.");
    }

    public static void Text(FieldErrors errors, string path, string? value, int maxLength, bool required)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required)
                errors.Add(path, "is required.");
            return;
        }
        if (value.Length > maxLength)
            errors.Add(path, $"must be at most {maxLength} characters.");
        if (value.Any(c => char.IsControl(c) && c is not ('\n' or '\r' or '\t')))
            errors.Add(path, "must not contain control characters.");
    }

    public static void Year(FieldErrors errors, string path, int? year)
    {
        if (year is null)
            errors.Add(path, "is required.");
        else if (year < MinYear || year > MaxYear)
            errors.Add(path, $"must be between {MinYear} and {MaxYear}.");
    }
}
