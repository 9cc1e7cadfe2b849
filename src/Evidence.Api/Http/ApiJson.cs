using System.Text.Json;
using System.Text.Json.Serialization;

namespace Evidence.Api.Http;

/// <summary>The API's JSON: camelCase, enums as camelCase strings, nulls left out.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        return options;
    }

    public static CommandResult Created(object body, string location, long? version = null) =>
        new(StatusCodes.Status201Created, JsonSerializer.Serialize(body, Options), location, version is null ? null : Caller.ETag(version.Value));

    public static CommandResult Ok(object body, long? version = null) =>
        new(StatusCodes.Status200OK, JsonSerializer.Serialize(body, Options), null, version is null ? null : Caller.ETag(version.Value));
}
