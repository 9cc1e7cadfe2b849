using System.Text;
using static Evidence.IntegrationTests.Hostile.HostileRequest;

namespace Evidence.IntegrationTests.Hostile;

/// <summary>
/// The table of hostile requests, by kind. Every one targets the review <see cref="Review"/>, which
/// holds the outcomes of <c>ReviewApiTests.CreateReviewAsync</c> and the trial <c>he2020</c> at version 1.
/// </summary>
public static class HostileRequests
{
    public const string Review = "hostile";
    private const string R = "/reviews/" + Review;
    private const string T = R + "/trials/he2020";
    private const string V1 = "\"1\"";

    private static HostileRequest Change(string name, string action, string json, int status = 400) =>
        Post(name, $"{T}/{action}", json, status).With("If-Match", V1);

    private static HostileRequest Exclude(string name, int status = 400) =>
        Post(name, $"{T}/exclusion", """{"reason":"duplicate cohort"}""", status);

    private static string Nested(int depth) => new string('[', depth) + new string(']', depth);

    private static string ObjectMembers(int count, Func<int, string> member) => string.Join(',', Enumerable.Range(0, count).Select(member));

    private static readonly string Oversize = """{"id":"t-big","year":2021,"source":""" + "\"" + new string('x', 300_000) + "\"}";

    public static readonly IReadOnlyList<HostileRequest> All =
    [
        // Wrong JSON types, field by field, route by route.
        Post("review.id as number", "/reviews", """{"id":7,"title":"t","question":"q"}"""),
        Post("review.title as array", "/reviews", """{"id":"r-types","title":["t"],"question":"q"}"""),
        Post("review.question as object", "/reviews", """{"id":"r-types","title":"t","question":{"q":1}}"""),
        Post("review.protocol as boolean", "/reviews", """{"id":"r-types","title":"t","question":"q","protocol":true}"""),
        Post("outcome.id as number", $"{R}/outcomes", """{"id":1,"name":"n","dataType":"binary","measure":"OR","method":"DL"}"""),
        Post("outcome.name as boolean", $"{R}/outcomes", """{"id":"o-types","name":false,"dataType":"binary","measure":"OR","method":"DL"}"""),
        Post("outcome.dataType as array", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":["binary"],"measure":"OR","method":"DL"}"""),
        Post("outcome.measure as number", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":2,"method":"DL"}"""),
        Post("outcome.method as object", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"OR","method":{"DL":1}}"""),
        Post("outcome.test as boolean", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"OR","method":"DL","test":true}"""),
        Post("outcome.subgroup as number", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"OR","method":"DL","subgroup":3}"""),
        Post("outcome.measure unknown", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"XX","method":"DL"}"""),
        Post("outcome.test unknown", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"OR","method":"DL","test":"t"}"""),
        Post("outcome.order as array", $"{R}/outcomes", """{"id":"o-types","name":"n","dataType":"binary","measure":"OR","method":"DL","order":["year"]}"""),
        Post("analysis.measure as number", $"{R}/outcomes/response/analysis", """{"measure":1,"reason":"r"}"""),
        Post("analysis.method as boolean", $"{R}/outcomes/response/analysis", """{"method":true,"reason":"r"}"""),
        Post("analysis.test as array", $"{R}/outcomes/response/analysis", """{"test":["z"],"reason":"r"}"""),
        Post("analysis.subgroup as object", $"{R}/outcomes/response/analysis", """{"subgroup":{},"reason":"r"}"""),
        Post("analysis.order as number", $"{R}/outcomes/response/analysis", """{"order":2020,"reason":"r"}"""),
        Post("analysis.reason as number", $"{R}/outcomes/response/analysis", """{"method":"DL","reason":42}"""),
        Post("trial.id as number", $"{R}/trials", """{"id":2021,"year":2021,"source":"s","data":{}}"""),
        Post("trial.year as boolean", $"{R}/trials", """{"id":"t-types","year":true,"source":"s","data":{}}"""),
        Post("trial.year as fraction", $"{R}/trials", """{"id":"t-types","year":2020.5,"source":"s","data":{}}"""),
        Post("trial.source as number", $"{R}/trials", """{"id":"t-types","year":2021,"source":1,"data":{}}"""),
        Post("trial.registryId as array", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","registryId":["NCT1"],"data":{}}"""),
        Post("trial.attributes as array", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","attributes":["SLE"],"data":{}}"""),
        Post("trial.attributes value as object", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","attributes":{"disease":{"n":"SLE"}},"data":{}}"""),
        Post("trial.data as string", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","data":"ai=1"}"""),
        Post("trial.data outcome as array", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","data":{"response":[16,13,9,21]}}"""),
        Post("trial.data column as string", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","data":{"response":{"ai":"16","bi":13,"ci":9,"di":21}}}"""),
        Post("trial.data column as boolean", $"{R}/trials", """{"id":"t-types","year":2021,"source":"s","data":{"injection-site":{"xi":true,"ni":29}}}"""),
        Change("correction.data as array", "corrections", """{"data":[1],"reason":"r"}"""),
        Change("correction.data column as null", "corrections", """{"data":{"response":{"ai":null}},"reason":"r"}"""),
        Change("correction.attributes as string", "corrections", """{"attributes":"dose=2","reason":"r"}"""),
        Change("correction.reason as object", "corrections", """{"attributes":{"dose":"2"},"reason":{"why":"r"}}"""),
        Change("correction.source as number", "corrections", """{"attributes":{"dose":"2"},"reason":"r","source":12}"""),
        Change("exclusion.reason as number", "exclusion", """{"reason":0}"""),
        Change("reinstatement.reason as array", "reinstatement", """{"reason":["r"]}"""),
        Change("retraction.reason as boolean", "retraction", """{"reason":true}"""),
        Change("retraction.notice as number", "retraction", """{"reason":"r","notice":1}"""),
        Post("member.user as number", $"{R}/members", """{"user":5,"role":"viewer"}"""),
        Post("member.role as number", $"{R}/members", """{"user":"vera","role":3}"""),
        Post("member.role as array", $"{R}/members", """{"user":"vera","role":["viewer"]}"""),
        Post("visibility.public as string", $"{R}/visibility", """{"public":"true","reason":"r"}"""),
        Post("visibility.reason as number", $"{R}/visibility", """{"public":true,"reason":1}"""),
        Post("apiKey.user as object", "/api-keys", """{"user":{"name":"u"}}"""),
        Post("apiKey.administrator as string", "/api-keys", """{"user":"u","administrator":"yes"}"""),

        // Numbers out of range.
        Change("negative count", "corrections", """{"data":{"response":{"ai":-3}},"reason":"r"}"""),
        Change("fractional count", "corrections", """{"data":{"response":{"ai":16.5}},"reason":"r"}"""),
        Change("events above total", "corrections", """{"data":{"injection-site":{"xi":40}},"reason":"r"}"""),
        Change("both arms empty", "corrections", """{"data":{"response":{"ai":0,"bi":0}},"reason":"r"}"""),
        Change("negative SD", "corrections", """{"data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":-1,"ni":10,"ri":0.5}},"reason":"r"}"""),
        Change("n zero", "corrections", """{"data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":0,"ri":0.5}},"reason":"r"}"""),
        Change("ri below -1", "corrections", """{"data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":10,"ri":-1.01}},"reason":"r"}"""),
        Post("year after 2100", $"{R}/trials", """{"id":"t-range","year":2101,"source":"s","data":{}}"""),
        Post("year beyond int32", $"{R}/trials", """{"id":"t-range","year":2147483648,"source":"s","data":{}}"""),
        Post("year with 25 digits", $"{R}/trials", """{"id":"t-range","year":9999999999999999999999999,"source":"s","data":{}}"""),

        // NaN and infinities.
        Change("NaN as string", "corrections", """{"data":{"response":{"ai":"NaN"}},"reason":"r"}"""),
        Change("Infinity as string", "corrections", """{"data":{"response":{"ai":"Infinity"}},"reason":"r"}"""),
        Change("NaN literal", "corrections", """{"data":{"response":{"ai":NaN}},"reason":"r"}"""),
        Change("Infinity literal", "corrections", """{"data":{"response":{"ai":Infinity}},"reason":"r"}"""),
        Change("-Infinity literal", "corrections", """{"data":{"response":{"ai":-Infinity}},"reason":"r"}"""),
        Change("1e400", "corrections", """{"data":{"response":{"ai":1e400}},"reason":"r"}"""),
        Change("-1e400", "corrections", """{"data":{"treg":{"m_pre":-1e400,"sd_pre":1,"m_post":2,"sd_post":1,"ni":10,"ri":0.5}},"reason":"r"}"""),
        Post("year 1e400", $"{R}/trials", """{"id":"t-inf","year":1e400,"source":"s","data":{}}"""),

        // Size and depth.
        Post("nesting 120 deep", $"{R}/trials", """{"id":"t-deep","year":2021,"source":"s","attributes":{"a":""" + Nested(120) + "}}"),
        Post("nesting 5000 deep at the root", $"{R}/trials", Nested(5000)),
        Post("objects nested 200 deep", $"{R}/trials", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)),
        Post("array of 20000 numbers", $"{R}/trials", """{"id":"t-big","year":2021,"source":"s","data":{"response":[""" + string.Join(',', Enumerable.Repeat(1, 20_000)) + "]}}"),
        Post("51 attributes", $"{R}/trials", """{"id":"t-big","year":2021,"source":"s","attributes":{""" + ObjectMembers(51, i => $"\"a{i}\":\"v\"") + "}}"),
        Post("5000 unknown fields", "/reviews", """{"id":"r-big","title":"t","question":"q",""" + ObjectMembers(5000, i => $"\"f{i}\":0") + "}"),
        Post("body over 256 KiB", $"{R}/trials", Oversize, 413),
        Post("chunked body over 256 KiB", $"{R}/trials", Oversize, 413) with { Chunked = true },

        // Bytes that are not UTF-8 JSON text.
        PostBytes("invalid UTF-8 in a string", "/reviews", Spliced("{\"id\":\"r-utf\",\"title\":\"caf", [0xC3, 0x28], "\",\"question\":\"q\"}")),
        PostBytes("invalid UTF-8 in a name", $"{R}/trials", Spliced("{\"id\":\"t-utf\",\"year\":2021,\"source\":\"s\",\"attributes\":{\"d", [0xFF, 0xFE], "\":\"x\"}}")),
        PostBytes("overlong UTF-8 encoding of '/'", $"{T}/exclusion", Spliced("{\"reason\":\"a", [0xC0, 0xAF], "\"}")).With("If-Match", V1),
        Post("lone surrogate escape", "/reviews", """{"id":"r-utf","title":"\ud800","question":"q"}"""),
        Post("lone surrogate escape in a name", $"{R}/trials", """{"id":"t-utf","year":2021,"source":"s","attributes":{"\udc00":"x"}}"""),
        PostBytes("UTF-16 body", "/reviews", Encoding.Unicode.GetBytes("""{"id":"r-utf","title":"t","question":"q"}""")),
        Post("empty body", "/reviews", ""),
        Post("whitespace body", "/reviews", "  \n\t "),
        Post("null body", "/reviews", "null"),
        Post("array body", "/reviews", "[]"),
        Post("truncated JSON", "/reviews", """{"id":"r-body","title":"""),
        Post("string body", "/reviews", "\"r-body\""),
        Post("form fields as JSON", "/reviews", "id=r-body&title=t&question=q"),
        Post("two JSON documents", "/reviews", """{"id":"r-body","title":"t","question":"q"}{"id":"r-body2"}"""),
        Post("JSON with a comment", "/reviews", """{"id":"r-body","title":"t",/* c */"question":"q"}"""),
        Post("trailing comma", "/reviews", """{"id":"r-body","title":"t","question":"q",}"""),
        Post("single quotes", "/reviews", "{'id':'r-body','title':'t','question':'q'}"),

        // Injection in ids, names and queries.
        Post("SQL in review id", "/reviews", """{"id":"'; drop table mt_events; --","title":"t","question":"q"}"""),
        Post("SQL in trial id", $"{R}/trials", """{"id":"1 OR 1=1","year":2021,"source":"s","data":{}}"""),
        Post("SQL in attribute name", $"{R}/trials", """{"id":"t-sql","year":2021,"source":"s","attributes":{"x'; drop table mt_events; --":"1"}}"""),
        Post("SQL in data column", $"{R}/trials", """{"id":"t-sql","year":2021,"source":"s","data":{"response":{"ai or 1=1":1}}}"""),
        Post("SQL in outcome key", $"{R}/trials", """{"id":"t-sql","year":2021,"source":"s","data":{"response' or '1'='1":{"ai":1}}}"""),
        Post("SQL in review route", "/reviews/'%3B%20drop%20table%20mt_events%3B%20--/trials", """{"id":"t-sql","year":2021,"source":"s","data":{}}""", 404),
        Change("SQL in trial route", "exclusion", """{"reason":"r"}""", 404) with { Path = $"{R}/trials/1%20OR%201%3D1/exclusion" },
        Get("SQL in events trial filter", $"{R}/events?trial=1%20OR%201%3D1"),
        Get("SQL in events type filter", $"{R}/events?type=%27%20OR%20%271%27%3D%271"),
        Post("JSON in outcome id", $"{R}/outcomes", """{"id":"x\",\"measure\":\"OR","name":"n","dataType":"binary","measure":"OR","method":"DL"}"""),
        Post("JSON in attribute name", $"{R}/trials", """{"id":"t-json","year":2021,"source":"s","attributes":{"a\":\"b":"c"}}"""),
        Post("JSON in member role", $"{R}/members", """{"user":"vera","role":"viewer\",\"role\":\"owner"}"""),

        // Path tricks.
        Change("encoded ../ in trial route", "exclusion", """{"reason":"r"}""", 404) with { Path = $"{R}/trials/..%2F..%2Fhostile/exclusion" },
        Post("%2e%2e as review", "/reviews/%2e%2e/trials", """{"id":"t-path","year":2021,"source":"s","data":{}}""", 404),
        Post("../ in trial id", $"{R}/trials", """{"id":"../../api-keys","year":2021,"source":"s","data":{}}"""),
        Post("slash in outcome id", $"{R}/outcomes", """{"id":"a/b","name":"n","dataType":"binary","measure":"OR","method":"DL"}"""),
        Post("5000-character review route", $"/reviews/{new string('a', 5000)}/trials", """{"id":"t-long","year":2021,"source":"s","data":{}}""", 404),
        Post("65-character trial id", $"{R}/trials", "{\"id\":\"" + new string('a', 65) + "\",\"year\":2021,\"source\":\"s\",\"data\":{}}"),
        Post("Cyrillic look-alike in review route", "/reviews/hostil%D0%B5/trials", """{"id":"t-look","year":2021,"source":"s","data":{}}""", 404),
        Post("Cyrillic look-alike in trial id", $"{R}/trials", """{"id":"he2020\u0430","year":2021,"source":"s","data":{}}"""),
        Post("fullwidth letters in trial id", $"{R}/trials", """{"id":"ｔ-look","year":2021,"source":"s","data":{}}"""),
        Post("upper-case review route", "/reviews/HOSTILE/trials", """{"id":"t-case","year":2021,"source":"s","data":{}}""", 404),
        Post("upper-case trial id", $"{R}/trials", """{"id":"HE2021","year":2021,"source":"s","data":{}}"""),
        Post("space after review route", "/reviews/hostile%20/trials", """{"id":"t-space","year":2021,"source":"s","data":{}}""", 404),
        Post("space after trial id", $"{R}/trials", """{"id":"he2021 ","year":2021,"source":"s","data":{}}"""),
        Post("unknown review", "/reviews/no-such-review/trials", """{"id":"t-none","year":2021,"source":"s","data":{}}""", 404),
        Change("unknown trial", "exclusion", """{"reason":"r"}""", 404) with { Path = $"{R}/trials/no-such-trial/exclusion" },
        Get("NUL in events trial filter", $"{R}/events?trial=he2020%00"),
        Get("NUL in events type filter", $"{R}/events?type=TrialRecorded%00"),

        // Control characters.
        Post("NUL in title", "/reviews", """{"id":"r-ctl","title":"a\u0000b","question":"q"}"""),
        Post("DEL in question", "/reviews", """{"id":"r-ctl","title":"t","question":"a\u007fb"}"""),
        Change("BEL in reason", "exclusion", """{"reason":"ring\u0007"}"""),
        Post("ESC in source", $"{R}/trials", """{"id":"t-ctl","year":2021,"source":"\u001b[31mred","data":{}}"""),
        Post("NUL in attribute value", $"{R}/trials", """{"id":"t-ctl","year":2021,"source":"s","attributes":{"disease":"SLE\u0000"}}"""),
        Post("NUL in member user", $"{R}/members", """{"user":"vera\u0000","role":"viewer"}"""),

        // Required fields missing, unknown fields, fields given twice.
        Post("review without title", "/reviews", """{"id":"r-missing","question":"q"}"""),
        Post("outcome without dataType", $"{R}/outcomes", """{"id":"o-missing","name":"n","measure":"OR","method":"DL"}"""),
        Post("trial as empty object", $"{R}/trials", "{}"),
        Post("trial without year", $"{R}/trials", """{"id":"t-missing","source":"s","data":{}}"""),
        Change("exclusion without reason", "exclusion", "{}"),
        Change("retraction with empty reason", "retraction", """{"reason":"   "}"""),
        Change("correction that changes nothing", "corrections", """{"reason":"r"}"""),
        Post("member without role", $"{R}/members", """{"user":"vera"}"""),
        Post("visibility without public", $"{R}/visibility", """{"reason":"r"}"""),
        Change("unknown field", "exclusion", """{"reason":"r","approved":true}"""),
        Change("unknown data column", "corrections", """{"data":{"response":{"zi":1}},"reason":"r"}"""),
        Post("field name in another case", "/reviews", """{"Id":"r-case","title":"t","question":"q"}"""),
        Post("__proto__ field", "/reviews", """{"id":"r-proto","title":"t","question":"q","__proto__":{"admin":true}}"""),
        Post("id given twice", $"{R}/trials", """{"id":"t-twice","id":"t-other","year":2021,"source":"s","data":{}}"""),
        Change("reason given twice", "exclusion", """{"reason":"r","reason":"s"}"""),
        Change("data column given twice", "corrections", """{"data":{"response":{"ai":1,"ai":2}},"reason":"r"}"""),
        Post("outcome given twice in data", $"{R}/trials", """{"id":"t-twice","year":2021,"source":"s","data":{"injection-site":{"xi":1,"ni":2},"injection-site":{"xi":1,"ni":3}}}"""),
        Post("attribute given twice", $"{R}/trials", """{"id":"t-twice","year":2021,"source":"s","attributes":{"d":"a","d":"b"}}"""),

        // Headers.
        Post("If-Match missing", $"{T}/exclusion", """{"reason":"r"}""", 428),
        Exclude("If-Match not a number").With("If-Match", "\"one\""),
        Exclude("If-Match given twice").With("If-Match", V1).With("If-Match", V1),
        Exclude("If-Match list").With("If-Match", "\"1\", \"2\""),
        Exclude("If-Match star").With("If-Match", "*"),
        Exclude("If-Match zero").With("If-Match", "\"0\""),
        Exclude("If-Match negative").With("If-Match", "\"-1\""),
        Exclude("If-Match beyond int64").With("If-Match", "\"99999999999999999999\""),
        Exclude("If-Match blank", 428).With("If-Match", ""),
        Exclude("If-Match stale", 412).With("If-Match", "\"7\""),
        Exclude("Idempotency-Key given twice").With("If-Match", V1).With("Idempotency-Key", "k1").With("Idempotency-Key", "k2"),
        Exclude("Idempotency-Key over 200 characters").With("If-Match", V1).With("Idempotency-Key", new string('k', 201)),
        Exclude("Idempotency-Key blank").With("If-Match", V1).With("Idempotency-Key", "   "),
        Exclude("Idempotency-Key with control characters").With("If-Match", V1).With("Idempotency-Key", "k\u0001\u0002"),
        Exclude("X-Correlation-Id with control characters").With("If-Match", V1).With("X-Correlation-Id", "abc\u0000\u001b[2J"),
        Exclude("X-Correlation-Id given twice").With("If-Match", V1).With("X-Correlation-Id", "a").With("X-Correlation-Id", "b"),
        Exclude("X-Correlation-Id too long").With("If-Match", V1).With("X-Correlation-Id", new string('c', 129)),
        Exclude("Authorization given twice", 401).With("If-Match", V1).With("Authorization", Bearer("one")).With("Authorization", Bearer("two")),
        Exclude("Authorization and X-Api-Key", 401).With("If-Match", V1).With("X-Api-Key", "another-key-entirely"),
        Exclude("Authorization not Bearer", 401).With("If-Match", V1).With("Authorization", "Basic YWRtaW46YWRtaW4="),
        Exclude("forged API key", 401).With("If-Match", V1).With("Authorization", Bearer("ev_forged")),
        Exclude("API key of 300 characters", 401).With("If-Match", V1).With("Authorization", Bearer(new string('k', 300))),

        // Content types.
        Exclude("Content-Type text/plain", 415).With("If-Match", V1) with { ContentType = "text/plain" },
        Exclude("Content-Type missing", 415).With("If-Match", V1) with { ContentType = null },
        Post("form post", "/reviews", "id=r-form&title=t&question=q", 415) with { ContentType = "application/x-www-form-urlencoded" },
        Post("multipart post", "/reviews", "--b\r\nContent-Disposition: form-data; name=\"id\"\r\n\r\nr-form\r\n--b--", 415) with { ContentType = "multipart/form-data; boundary=b" },
        Post("XML post", "/reviews", "<review id=\"r-xml\"/>", 415) with { ContentType = "application/xml" },
        PostBytes("JSON declared as UTF-16", "/reviews", Encoding.Unicode.GetBytes("""{"id":"r-utf16","title":"t","question":"q"}"""), 415) with { ContentType = "application/json; charset=utf-16" },
        Exclude("Content-Type malformed", 415).With("If-Match", V1) with { ContentType = "json" },

        // Methods and query strings.
        new("PUT on a review", HttpMethod.Put, R, 405) { Body = Encoding.UTF8.GetBytes("{}") },
        new("DELETE on a review", HttpMethod.Delete, R, 405),
        new("PATCH on a trial", HttpMethod.Patch, T, 405) { Body = Encoding.UTF8.GetBytes("""{"year":1999}""") },
        Get("events limit negative", $"{R}/events?limit=-1"),
        Get("events limit not a number", $"{R}/events?limit=abc"),
        Get("events after beyond int64", $"{R}/events?after=99999999999999999999"),
        Get("events from not a date", $"{R}/events?from=yesterday"),
        Get("snapshots asOf not a date", $"{R}/outcomes/response/snapshots?asOf=%27%20OR%201%3D1"),
        Get("changes from not a number", $"{R}/outcomes/response/changes?from=abc&to=2"),
    ];
}
