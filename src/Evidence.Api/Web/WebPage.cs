using System.Globalization;
using Evidence.Api.Auth;
using Evidence.Domain;
using Evidence.Statistics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Evidence.Api.Web;

/// <summary>
/// A page of the web view. A review, outcome or trial the visitor cannot see renders the one
/// not-found page with 404, the same whether it is missing or private; bad query values are shown
/// on the page, field by field, as the API names them.
/// </summary>
public abstract class WebPage : PageModel
{
    /// <summary>The thing asked for is not there for this visitor.</summary>
    public bool Missing { get; private set; }

    /// <summary>The query's bad fields, by the API's field names.</summary>
    public IReadOnlyDictionary<string, string[]> Errors { get; private set; } = new Dictionary<string, string[]>();

    /// <summary>The signed-in user; null for an anonymous visitor.</summary>
    public string? SignedInAs => Access.IsAuthenticated(HttpContext) ? User.Identity!.Name : null;

    protected async Task<IActionResult> ShowAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (NotFoundException)
        {
            Missing = true;
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        catch (ValidationFailedException e)
        {
            Errors = e.Errors;
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        return Page();
    }

    /// <summary>A number as the pages print it: three decimals, invariant, a dash for none.</summary>
    public static string Number(double? value, int decimals = 3) =>
        value is { } v && double.IsFinite(v) ? v.ToString("F" + decimals, CultureInfo.InvariantCulture) : "–";

    /// <summary>An estimate with its CI: <c>1.588 (0.947 to 2.664)</c>.</summary>
    public static string WithInterval(double? estimate, double? lower, double? upper) =>
        estimate is null ? "no estimate" : $"{Number(estimate)} (95% CI {Number(lower)} to {Number(upper)})";

    /// <summary>The measure's name on the natural scale (<c>Risk ratio</c>), or its code when unknown.</summary>
    public static string MeasureName(string measure) => MeasureCatalogue.FindMeasure(measure)?.NaturalLabel ?? measure;

    public static string When(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string Value(object? value) => value switch
    {
        null => "–",
        double d => Number(d, 4).TrimEnd('0').TrimEnd('.'),
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => "–",
        System.Text.Json.JsonElement e => e.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "–",
    };
}
