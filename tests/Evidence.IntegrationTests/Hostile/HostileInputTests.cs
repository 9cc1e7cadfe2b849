using System.Net;
using System.Text;
using Evidence.IntegrationTests.Api;

namespace Evidence.IntegrationTests.Hostile;

/// <summary>
/// Malformed and hostile requests: each gets a 4xx ProblemDetails and appends no event, and none
/// gets a 5xx. Each row: a name, the route (relative to the review), the body (raw text or bytes),
/// extra headers, and the status class expected.
/// </summary>
public sealed class HostileInputTests(ApiHost<HostileInputTests> host) : IClassFixture<ApiHost<HostileInputTests>>, IAsyncLifetime
{
    private const string Review = "hostile";
    private static readonly SemaphoreSlim Setup = new(1, 1);
    private static bool ready;

    public sealed record Case(string Name, string Method, string Path, byte[] Body, (string Name, string Value)[] Headers, int? Status = null)
    {
        public override string ToString() => Name;
    }

    private static Case Post(string name, string path, string json, int? status = null, params (string, string)[] headers) =>
        new(name, "POST", path, Encoding.UTF8.GetBytes(json), headers, status);

    private const string Trial = """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":1,"bi":2,"ci":3,"di":4}}}""";
    private const string Correction = """{"data":{"response":{"ai":2}},"reason":"r"}""";

    public static TheoryData<Case> Cases()
    {
        var cases = new List<Case>
        {
            // Wrong JSON types, field by field.
            Post("review id as number", "/reviews", """{"id":5,"title":"t","question":"q"}"""),
            Post("review title as array", "/reviews", """{"id":"r9","title":["t"],"question":"q"}"""),
            Post("review question as object", "/reviews", """{"id":"r9","title":"t","question":{"a":1}}"""),
            Post("review protocol as bool", "/reviews", """{"id":"r9","title":"t","question":"q","protocol":true}"""),
            Post("outcome dataType as number", "/reviews/{r}/outcomes", """{"id":"o9","name":"n","dataType":1,"measure":"RR","method":"DL"}"""),
            Post("outcome measure unknown", "/reviews/{r}/outcomes", """{"id":"o9","name":"n","dataType":"binary","measure":"XX","method":"DL"}"""),
            Post("outcome test unknown", "/reviews/{r}/outcomes", """{"id":"o9","name":"n","dataType":"binary","measure":"RR","method":"DL","test":"t"}"""),
            Post("analysis method as array", "/reviews/{r}/outcomes/response/analysis", """{"method":["DL"],"reason":"r"}"""),
            Post("trial year as string", "/reviews/{r}/trials", """{"id":"t2","year":"2021","source":"s"}"""),
            Post("trial year as float", "/reviews/{r}/trials", """{"id":"t2","year":2021.5,"source":"s"}"""),
            Post("trial data as array", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":[1,2]}"""),
            Post("trial outcome data as string", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":"1,2,3,4"}}"""),
            Post("trial count as bool", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":true,"bi":2,"ci":3,"di":4}}}"""),
            Post("trial attributes as array", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","attributes":["SLE"]}"""),
            Post("trial attribute value as object", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","attributes":{"disease":{"x":1}}}"""),
            Post("correction reason as number", "/reviews/{r}/trials/t1/corrections", """{"data":{"response":{"ai":2}},"reason":7}""", null, ("If-Match", "\"1\"")),
            Post("exclusion reason as array", "/reviews/{r}/trials/t1/exclusion", """{"reason":["x"]}""", null, ("If-Match", "\"1\"")),
            Post("retraction notice as number", "/reviews/{r}/trials/t1/retraction", """{"reason":"r","notice":5}""", null, ("If-Match", "\"1\"")),
            Post("visibility public as string", "/reviews/{r}/visibility", """{"public":"yes","reason":"r"}"""),
            Post("member role as number", "/reviews/{r}/members", """{"user":"u","role":3}"""),
            // Out-of-range numbers.
            Post("negative count", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":-1,"bi":2,"ci":3,"di":4}}}"""),
            Post("fractional count", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":1.5,"bi":2,"ci":3,"di":4}}}"""),
            Post("events above total", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"fever":{"xi":41,"ni":40}}}"""),
            Post("zero total", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"fever":{"xi":0,"ni":0}}}"""),
            Post("sd zero", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":0,"m_post":2,"sd_post":1,"ni":10,"ri":0.5}}}"""),
            Post("sd negative", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":-3,"ni":10,"ri":0.5}}}"""),
            Post("n too small", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":1,"ri":0.5}}}"""),
            Post("ri above one", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":10,"ri":1.01}}}"""),
            Post("ri below minus one", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"treg":{"m_pre":1,"sd_pre":1,"m_post":2,"sd_post":1,"ni":10,"ri":-2}}}"""),
            Post("year too early", "/reviews/{r}/trials", """{"id":"t2","year":1066,"source":"s"}"""),
            Post("year too late", "/reviews/{r}/trials", """{"id":"t2","year":30000,"source":"s"}"""),
            Post("year beyond int", "/reviews/{r}/trials", """{"id":"t2","year":99999999999999999999,"source":"s"}"""),
            // Non-finite and huge numbers.
            Post("NaN as string", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":"NaN","bi":2,"ci":3,"di":4}}}"""),
            Post("Infinity as string", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":"Infinity","bi":2,"ci":3,"di":4}}}"""),
            Post("NaN literal", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":NaN,"bi":2,"ci":3,"di":4}}}"""),
            Post("Infinity literal", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":Infinity,"bi":2,"ci":3,"di":4}}}"""),
            Post("1e400", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":1e400,"bi":2,"ci":3,"di":4}}}"""),
            Post("-1e400", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"generic":{"yi":-1e400,"vi":1}}}"""),
            Post("huge count not whole", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":1e300,"bi":2.5,"ci":3,"di":4}}}"""),
            // Structure: depth, size, encoding.
            Post("deep nesting", "/reviews/{r}/trials", string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200)),
            Post("huge attributes", "/reviews/{r}/trials", "{\"id\":\"t2\",\"year\":2021,\"source\":\"s\",\"attributes\":{" + string.Join(",", Enumerable.Range(0, 200).Select(i => $"\"a{i}\":\"v\"")) + "}}"),
            Post("oversize body", "/reviews/{r}/trials", "{\"id\":\"t2\",\"year\":2021,\"source\":\"" + new string('x', 300_000) + "\"}", 413),
            new("invalid UTF-8", "POST", "/reviews/{r}/trials", [0x7b, 0x22, 0x69, 0x64, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d], []),
            Post("empty body", "/reviews/{r}/trials", ""),
            Post("not JSON", "/reviews/{r}/trials", "id=t2&year=2021"),
            Post("JSON array", "/reviews/{r}/trials", "[]"),
            Post("JSON string", "/reviews/{r}/trials", "\"trial\""),
            Post("truncated JSON", "/reviews/{r}/trials", "{\"id\":\"t2\",\"year\":"),
            Post("duplicate property", "/reviews/{r}/trials", """{"id":"t2","id":"t3","year":2021,"source":"s"}"""),
            Post("duplicate data column", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"response":{"ai":1,"ai":2,"bi":2,"ci":3,"di":4}}}"""),
            Post("unknown field", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","admin":true}"""),
            Post("missing required fields", "/reviews/{r}/trials", "{}"),
            Post("control characters in text", "/reviews/{r}/trials", "{\"id\":\"t2\",\"year\":2021,\"source\":\"a\\u0000b\"}"),
            // Injection strings and path tricks in ids.
            Post("SQL injection in id", "/reviews/{r}/trials", """{"id":"t2'; drop table mt_events; --","year":2021,"source":"s"}"""),
            Post("SQL injection OR in id", "/reviews", """{"id":"1 OR 1=1","title":"t","question":"q"}"""),
            Post("JSON injection in id", "/reviews", """{"id":"r\",\"admin\":true","title":"t","question":"q"}"""),
            Post("path traversal in id", "/reviews/{r}/trials", """{"id":"../../etc/passwd","year":2021,"source":"s"}"""),
            Post("slash in id", "/reviews/{r}/trials", """{"id":"a/b","year":2021,"source":"s"}"""),
            Post("upper-case id", "/reviews/{r}/trials", """{"id":"T2","year":2021,"source":"s"}"""),
            Post("unicode look-alike id", "/reviews/{r}/trials", """{"id":"t2\u0430","year":2021,"source":"s"}"""),
            Post("id with spaces", "/reviews/{r}/trials", """{"id":" t2 ","year":2021,"source":"s"}"""),
            Post("very long id", "/reviews/{r}/trials", "{\"id\":\"" + new string('a', 500) + "\",\"year\":2021,\"source\":\"s\"}"),
            Post("SQL injection in attribute name", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","attributes":{"x'); drop table x; --":"v"}}"""),
            Post("unknown outcome in data", "/reviews/{r}/trials", """{"id":"t2","year":2021,"source":"s","data":{"'; select 1; --":{"ai":1}}}"""),
            Post("route traversal", "/reviews/..%2F..%2Fetc/trials", Trial, 404),
            Post("encoded dot segments", "/reviews/%2e%2e/trials", Trial, 404),
            Post("unknown review", "/reviews/no-such-review/trials", Trial, 404),
            Post("unknown trial", "/reviews/{r}/trials/no-such-trial/exclusion", """{"reason":"r"}""", 404, ("If-Match", "\"1\"")),
            // Headers.
            Post("If-Match missing", "/reviews/{r}/trials/t1/corrections", Correction, 428),
            Post("If-Match malformed", "/reviews/{r}/trials/t1/corrections", Correction, null, ("If-Match", "version one")),
            Post("If-Match negative", "/reviews/{r}/trials/t1/corrections", Correction, null, ("If-Match", "\"-1\"")),
            Post("If-Match repeated", "/reviews/{r}/trials/t1/corrections", Correction, null, ("If-Match", "\"1\""), ("If-Match", "\"2\"")),
            Post("If-Match stale", "/reviews/{r}/trials/t1/corrections", Correction, 412, ("If-Match", "\"9\"")),
            Post("Idempotency-Key repeated", "/reviews/{r}/trials", Trial, null, ("Idempotency-Key", "a"), ("Idempotency-Key", "b")),
            Post("Idempotency-Key too long", "/reviews/{r}/trials", Trial, null, ("Idempotency-Key", new string('k', 300))),
            Post("Idempotency-Key control characters", "/reviews/{r}/trials", Trial, null, ("Idempotency-Key", "a\tb\u0001")),
            Post("X-Correlation-Id repeated", "/reviews/{r}/trials", Trial, null, ("X-Correlation-Id", "a"), ("X-Correlation-Id", "b")),
            Post("X-Api-Key forged", "/reviews/{r}/trials", Trial, 401, ("X-Api-Key", "ev_forged")),
        };
        return new TheoryData<Case>(cases);
    }

    public async Task InitializeAsync()
    {
        await Setup.WaitAsync();
        try
        {
            if (ready && (await host.Client.GetAsync($"/reviews/{Review}")).IsSuccessStatusCode)
                return;
            await ReviewApiTests.CreateReviewAsync(host.Client, Review);
            await host.Client.Post($"/reviews/{Review}/outcomes", new { id = "fever", name = "Fever", dataType = "proportion", measure = "PLO", method = "DL" });
            await host.Client.Post($"/reviews/{Review}/outcomes", new { id = "generic", name = "Generic", dataType = "generic", measure = "GEN", method = "DL" });
            await host.Client.Post($"/reviews/{Review}/trials", ReviewApiTests.Trial("t1"));
            ready = true;
        }
        finally
        {
            Setup.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<int> EventCountAsync() =>
        (await (await host.Client.GetAsync($"/reviews/{Review}/events?limit=1000")).Json()).GetProperty("events").GetArrayLength();

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileRequest_Should_Get4xxProblem_AndStoreNothing(Case c)
    {
        var before = await EventCountAsync();
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), c.Path.Replace("{r}", Review, StringComparison.Ordinal))
        {
            Content = new ByteArrayContent(c.Body),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        foreach (var (name, value) in c.Headers)
        {
            if (name == "X-Api-Key")
                request.Headers.Authorization = null;
            request.Headers.TryAddWithoutValidation(name, value);
        }
        using var client = c.Headers.Any(h => h.Name == "X-Api-Key") ? host.ClientFor(null) : null;

        var response = await (client ?? host.Client).SendAsync(request);

        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{c.Name}: {status} {await response.Content.ReadAsStringAsync()}");
        if (c.Status is { } expected)
            Assert.Equal(expected, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await EventCountAsync());
    }

    [Fact]
    public async Task InjectionStrings_Should_BeStoredVerbatim_WhereTextIsAllowed()
    {
        const string title = "'; drop table mt_events; -- \" <script>alert(1)</script> {\"$where\":1}";
        var created = await host.Client.Post("/reviews", new { id = "verbatim", title, question = "1 OR 1=1" });
        var review = await (await host.Client.GetAsync("/reviews/verbatim")).Json();

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(title, review.GetProperty("title").GetString());
        Assert.Equal("1 OR 1=1", review.GetProperty("question").GetString());
    }

    [Fact]
    public async Task IdempotencyKey_Should_BeScopedToItsUser()
    {
        var other = await host.Client.CreateKeyAsync("other-user");
        await host.Client.Post("/reviews/hostile/members", new { user = "other-user", role = "editor" });
        var body = ReviewApiTests.Trial("scoped");

        var first = await host.Client.Post($"/reviews/{Review}/trials", body, key: "shared-key");
        var second = await host.Client.Post($"/reviews/{Review}/trials", body, key: "shared-key", apiKey: other);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.False(second.Headers.Contains("Idempotency-Replayed"));
    }
}
