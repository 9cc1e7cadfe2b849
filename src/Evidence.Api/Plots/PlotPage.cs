using System.Globalization;
using Evidence.Domain.Validation;

namespace Evidence.Api.Plots;

/// <summary>
/// Which studies (or cumulative steps) one image of a forest or cumulative plot shows: page
/// <see cref="Number"/> of <see cref="Size"/> rows. An image holds at most <see cref="MaxSize"/>
/// of them, so its pixel height is bounded however many studies the version has.
/// </summary>
public sealed record PlotPage(int Number, int Size)
{
    /// <summary>The most studies one image shows, and how many it shows unless asked for fewer.</summary>
    public const int MaxSize = 100;

    /// <summary>The page a request asks for (<c>?page=</c>, from 1; <c>?pageSize=</c>, 1 to <see cref="MaxSize"/>); 400 naming each bad one.</summary>
    public static PlotPage From(int? page, int? pageSize)
    {
        var errors = new FieldErrors();
        if (page is < 1)
            errors.Add("page", "must be 1 or more.");
        if (pageSize is < 1 or > MaxSize)
            errors.Add("pageSize", $"must be between 1 and {MaxSize}.");
        errors.ThrowIfAny();
        return new PlotPage(page ?? 1, pageSize ?? MaxSize);
    }

    /// <summary>The number of pages <paramref name="total"/> rows take (at least one, for an empty plot).</summary>
    public int Count(int total) => Math.Max(1, (total + Size - 1) / Size);

    /// <summary>The first row of the page, from 0.</summary>
    public int Skip => (Number - 1) * Size;

    /// <summary>Checks the page exists for <paramref name="total"/> rows; 400 naming <c>page</c> otherwise.</summary>
    public void EnsureWithin(int total)
    {
        if (Number > Count(total))
        {
            var errors = new FieldErrors();
            errors.Add("page", $"must be at most {Count(total)}: there are {total.ToString("N0", CultureInfo.InvariantCulture)} rows, {Size} per page.");
            errors.ThrowIfAny();
        }
    }

    /// <summary>"studies 101-200 of 10,000 (page 2 of 100)"; null when everything fits on one page.</summary>
    public string? Caption(int total, string rows)
    {
        if (total <= Size)
            return null;
        var last = Math.Min(total, Skip + Size);
        return string.Create(CultureInfo.InvariantCulture, $"{rows} {Skip + 1:N0}-{last:N0} of {total:N0} (page {Number} of {Count(total)})");
    }
}
