using System.Net;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using System.Text.Json;
using Evidence.Api.Plots;
using Evidence.Api.Web;
using Evidence.Domain.Access;
using Evidence.IntegrationTests.Api;
using Microsoft.Playwright;

namespace Evidence.IntegrationTests.Web;

/// <summary>
/// The web view in a real browser (Debian's headless Chromium), against the real API, worker and
/// services with the demo review imported, at a phone's width and a desktop's; screenshots are
/// saved under <c>artifacts/ui</c> in the test output folder.
/// </summary>
public sealed class WebViewTests(WebViewHost host) : IClassFixture<WebViewHost>
{
    public static readonly TheoryData<int> Widths = new() { 375, 1280 };

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task TheDemoReview_Should_BeBrowsable_WithDiffAttributionAndAsOf(int width)
    {
        await using var context = await host.ContextAsync(width);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/ui/reviews");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reviews", Exact = true })).ToBeVisibleAsync();
        await AccessibleAndUnclippedAsync(page, $"reviews-{width}");

        await page.GetByRole(AriaRole.Link, new() { Name = "Low-dose IL-2 in autoimmune rheumatic diseases" }).ClickAsync();
        Assert.EndsWith("/ui/reviews/ld-il2", page.Url);
        await Expect(page.Locator("main")).ToContainTextAsync("Risk ratio 1.588 (95% CI 0.947 to 2.664)");
        await Expect(page.Locator("img[src$='/history.svg']").First).ToHaveAttributeAsync("alt", new Regex("latest: .+95% CI"));
        await AccessibleAndUnclippedAsync(page, $"review-{width}");

        await page.Locator("section.card").Filter(new() { HasText = "Clinical response" }).GetByRole(AriaRole.Link).First.ClickAsync();
        Assert.EndsWith("/ui/reviews/ld-il2/outcomes/response", page.Url);
        await Expect(page.Locator("#shown")).ToHaveTextAsync("Version 3 (latest)");

        // Two versions picked in the form: the diff and why it moved.
        await page.GetByLabel("From", new() { Exact = true }).SelectOptionAsync("2");
        await page.GetByLabel("to", new() { Exact = true }).SelectOptionAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        await Expect(page.Locator("#diff h3").First).ToHaveTextAsync("From version 2 to version 3");
        await Expect(page.Locator("#attribution")).ToContainTextAsync("lupil2-2022 TrialCorrected (v3)");
        await Expect(page.Locator("#attribution")).ToContainTextAsync("-0.111");
        await Expect(page.Locator("#diff")).ToContainTextAsync("lupil2-2022: data.ai 20 → 34");
        await AccessibleAndUnclippedAsync(page, $"outcome-diff-{width}");

        // The as-of form: before anything was imported there was no estimate; today's is the latest.
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await page.GetByLabel("Date (UTC)").FillAsync("2024-03-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the estimate then" }).ClickAsync();
        await Expect(page.Locator("#asof-result")).ToHaveTextAsync("On 2024-03-01 the outcome had no estimate yet.");
        await page.GetByLabel("Date (UTC)").FillAsync(today);
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the estimate then" }).ClickAsync();
        await Expect(page.Locator("#asof-result")).ToContainTextAsync("Risk ratio 1.588 (95% CI 0.947 to 2.664), k = 4 (version 3");
        await AccessibleAndUnclippedAsync(page, $"outcome-asof-{width}");

        // The forest and cumulative plots of the chosen version are drawn (not broken images).
        foreach (var plot in await page.Locator("img.plot").AllAsync())
            Assert.True(await plot.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"), await plot.GetAttributeAsync("src"));

        await page.Locator("ol.timeline").GetByRole(AriaRole.Link, new() { Name = "lupil2-2022" }).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Trial lupil2-2022" })).ToBeVisibleAsync();
        await Expect(page.Locator("main")).ToContainTextAsync("TrialCorrected");
        var corrected = page.Locator("tr").Filter(new() { HasText = "data.response.ai" }).Last;
        await Expect(corrected).ToContainTextAsync("20");
        await Expect(corrected).ToContainTextAsync("34");
        await AccessibleAndUnclippedAsync(page, $"trial-{width}");

        await page.GotoAsync("/ui/reviews/ld-il2/events");
        await page.GetByLabel("Event type").SelectOptionAsync("TrialCorrected");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        Assert.Contains("type=TrialCorrected", page.Url);
        var rows = page.Locator("tbody tr");
        Assert.True(await rows.CountAsync() >= 1);
        foreach (var row in await rows.AllAsync())
            await Expect(row).ToContainTextAsync("TrialCorrected");
        await AccessibleAndUnclippedAsync(page, $"events-{width}");
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task TheOutcomePage_Should_ShowTheTsaPlotAndItsLine_OnlyForAVersionWithASequentialSection(int width)
    {
        // The demo sets the response outcome's sequential parameters before its trials: every version has a section.
        var stored = await (await host.Client.GetAsync("/reviews/ld-il2/outcomes/response/snapshots/3")).Json();
        var section = stored.GetProperty("sequential").Deserialize<Evidence.Domain.Sequential.SequentialSection>(Evidence.Api.Http.ApiJson.Options)!;
        var look = section.Looks[^1];
        Assert.Equal(3, look.Version);
        await using var context = await host.ContextAsync(width);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/ui/reviews/ld-il2/outcomes/response");
        var tsa = page.Locator("#tsa");
        await Expect(tsa.GetByRole(AriaRole.Heading, new() { Name = "Trial sequential analysis" })).ToBeVisibleAsync();
        await Expect(tsa).ToContainTextAsync("A sensitivity analysis beside the estimate above, not the main analysis");
        await Expect(tsa).ToContainTextAsync($"{TsaPlot.Participants(section.RisAdjusted)} participants (unadjusted {TsaPlot.Participants(section.Ris)}, adjusted by D² = ");
        await Expect(tsa).ToContainTextAsync($"259 participants, {TsaPlot.Percent(look.T)} of the RIS");
        await Expect(tsa).ToContainTextAsync($"Cumulative Z{WebPage.Number(look.Z, 2)}");
        await Expect(tsa).ToContainTextAsync(look.Boundary is { } b ? $"Boundary{WebPage.Number(b, 2)} ({look.LookType} look)" : "Boundarynone at this look");
        await Expect(tsa).ToContainTextAsync($"Crossed{(look.Crossed ? "yes" : "no")}");
        await Expect(tsa).ToContainTextAsync($"Alpha spent{TsaPlot.AlphaSpent(look.AlphaSpent)} of 0.05");
        var plot = tsa.Locator("img.plot[src$='/snapshots/3/tsa.svg']");
        await Expect(plot).ToHaveAttributeAsync("alt", new Regex($"Z {Regex.Escape(WebPage.Number(look.Z, 2))} at {TsaPlot.Percent(look.T)} of it"));
        await plot.ScrollIntoViewIfNeededAsync();
        Assert.True(await plot.EvaluateAsync<bool>("i => i.complete && i.naturalWidth > 0"));
        await tsa.ScreenshotAsync(new() { Path = System.IO.Path.Combine(WebViewHost.Artifacts, $"outcome-tsa-section-{width}.png") });
        await File.WriteAllBytesAsync(System.IO.Path.Combine(WebViewHost.Artifacts, "response-tsa-v3.png"),
            await host.Client.GetByteArrayAsync("/reviews/ld-il2/outcomes/response/snapshots/3/tsa.png"));
        await AccessibleAndUnclippedAsync(page, $"outcome-tsa-{width}");

        // A version with a look that took information away is drawn and shown as well.
        await Plots.TsaSections.StoreAsync(host.Pipeline.Services, "ld-il2", "response", 2, Plots.TsaSections.Falling());
        await page.GotoAsync("/ui/reviews/ld-il2/outcomes/response?version=2");
        await Expect(tsa).ToContainTextAsync("780 participants, 76% of the RIS");
        Assert.True(await tsa.Locator("img.plot").EvaluateAsync<bool>("async i => { await i.decode(); return i.naturalWidth > 0; }"));

        // An outcome without sequential parameters shows no such section.
        await page.GotoAsync("/ui/reviews/ld-il2/outcomes/treg");
        await Expect(page.Locator("#shown")).ToBeVisibleAsync();
        await Expect(page.Locator("#tsa")).ToHaveCountAsync(0);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public async Task APrivateReview_Should_LookMissingToANonMember_UntilAMemberSignsIn(int width)
    {
        var review = $"secret-{width}";
        await ReviewApiTests.CreateReviewAsync(host.Client, review);
        var member = await host.Client.CreateKeyAsync($"mia-{width}");
        var stranger = await host.Client.CreateKeyAsync($"sam-{width}");
        Assert.Equal(HttpStatusCode.Created, (await host.Client.Post($"/reviews/{review}/members", new { user = $"mia-{width}", role = "viewer" })).StatusCode);

        await using var context = await host.ContextAsync(width);
        var page = await context.NewPageAsync();

        // Anonymous, then a stranger: the private review and a missing one are the same 404 page.
        var missing = await MainAsync(page, $"/ui/reviews/{review}x");
        Assert.Equal(missing, await MainAsync(page, $"/ui/reviews/{review}"));
        Assert.Contains("Not found", missing);
        await AccessibleAndUnclippedAsync(page, $"not-found-{width}");

        await SignInAsync(page, stranger, $"sign-in-{width}");
        await Expect(page.Locator("header.site")).ToContainTextAsync($"Signed in as sam-{width}");
        Assert.Equal(missing, await MainAsync(page, $"/ui/reviews/{review}"));
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("header.site")).ToContainTextAsync("Sign in");

        // The member sees it; the cookie holds a session id, never the key.
        await SignInAsync(page, member, null);
        var response = await page.GotoAsync($"/ui/reviews/{review}");
        Assert.Equal(200, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await WebViewHost.ScreenshotAsync(page, $"private-review-member-{width}");
        var cookie = (await context.CookiesAsync()).Single(c => c.Name == "evidence_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal("/ui", cookie.Path);
        Assert.Equal(SameSiteAttribute.Lax, cookie.SameSite);
        Assert.DoesNotContain(member, cookie.Value);
        Assert.True(Convert.FromBase64String(cookie.Value.Replace('-', '+').Replace('_', '/') + "=").Length == 32);
        // The session is stored under the hash of its id, and nothing else in the browser holds the key.
        Assert.DoesNotContain((await context.CookiesAsync()), c => c.Value.Contains(member, StringComparison.Ordinal));

        // Signing out deletes the session: the old cookie opens nothing.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "evidence_session");
        await context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }]);
        Assert.Equal(404, (await page.GotoAsync($"/ui/reviews/{review}"))!.Status);

        // Revoking the key ends its sessions.
        await context.ClearCookiesAsync();
        await SignInAsync(page, member, null);
        Assert.Equal(200, (await page.GotoAsync($"/ui/reviews/{review}"))!.Status);
        Assert.Equal(HttpStatusCode.OK, (await host.Client.DeleteAsync($"/api-keys/{ApiKey.IdOf(member)}")).StatusCode);
        Assert.Equal(404, (await page.GotoAsync($"/ui/reviews/{review}"))!.Status);
    }

    [Fact]
    public async Task SigningIn_Should_RefuseAnInvalidKey_AndAFormWithoutItsAntiforgeryToken()
    {
        await using var context = await host.ContextAsync(1280);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/ui/sign-in");
        // From the keyboard: the first Tab reaches the skip link, which moves focus to the content.
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("Skip to content", await page.EvaluateAsync<string>("() => document.activeElement.textContent"));
        await page.Keyboard.PressAsync("Enter");
        Assert.Equal("main", await page.EvaluateAsync<string>("() => document.activeElement.id"));
        await page.GetByLabel("API key").FillAsync("ev_not-a-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).Last.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("The API key is not valid.");
        Assert.DoesNotContain(await context.CookiesAsync(), c => c.Name == "evidence_session");

        using var forged = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var post = await forged.PostAsync("/ui/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["key"] = ApiHost<WebViewHost>.AdminKey(host.Pipeline.Scope) }));
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.DoesNotContain(post.Headers, h => h.Key == "Set-Cookie" && h.Value.Any(v => v.StartsWith("evidence_session", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task ThePages_Should_SendAContentSecurityPolicyWithoutInlineScript()
    {
        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var response = await client.GetAsync("/ui/reviews");
        var policy = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", policy);
        Assert.DoesNotContain("unsafe-inline", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
    }

    [Fact]
    public async Task TheApiReference_Should_IntroduceTheApi_AndLoadNothingFromAnotherOrigin()
    {
        await using var context = await host.ContextAsync(1280);
        var page = await context.NewPageAsync();
        var requested = new List<string>();
        page.Request += (_, request) => requested.Add(request.Url);
        await page.GotoAsync("/scalar", new() { WaitUntil = WaitUntilState.NetworkIdle });
        Assert.Equal("Evidence API reference", await page.TitleAsync());
        await Expect(page.Locator("body")).ToContainTextAsync("Authorization: Bearer");
        await Expect(page.Locator("a[href='/ui/reviews']").First).ToBeAttachedAsync();
        await Expect(page.Locator("a[href='/readme']").First).ToBeAttachedAsync();
        await WebViewHost.ScreenshotAsync(page, "scalar-1280");
        Assert.NotEmpty(requested);
        Assert.All(requested, url => Assert.True(url.StartsWith(host.BaseUrl + "/", StringComparison.Ordinal) || url.StartsWith("data:", StringComparison.Ordinal), url));

        using var client = new HttpClient { BaseAddress = new Uri(host.BaseUrl) };
        var html = await client.GetStringAsync("/scalar");
        var origins = Regex.Matches(html, @"(?:src|href)\s*=\s*[""']?(?:https?:)?//[^""'\s>]+").Select(m => m.Value).ToList();
        Assert.Empty(origins);
        Assert.DoesNotContain("cdn.", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("## Web view", await client.GetStringAsync("/readme"));
    }

    private static ILocatorAssertions Expect(ILocator locator) => Assertions.Expect(locator);

    private static async Task<string> MainAsync(IPage page, string path)
    {
        var response = await page.GotoAsync(path);
        Assert.Equal(404, response!.Status);
        return await page.Locator("main").InnerHTMLAsync();
    }

    private async Task SignInAsync(IPage page, string key, string? screenshot)
    {
        await page.GotoAsync("/ui/sign-in");
        await page.GetByLabel("API key").FillAsync(key);
        if (screenshot is not null)
            await AccessibleAndUnclippedAsync(page, screenshot);
        await page.Locator("main").GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator("header.site")).ToContainTextAsync("Signed in as");
    }

    /// <summary>
    /// Saves a screenshot, checks the page with axe (WCAG 2.2 A and AA rules, contrast included), and
    /// that nothing is wider than the viewport but the tables' own scrolling regions.
    /// </summary>
    private static async Task AccessibleAndUnclippedAsync(IPage page, string name)
    {
        await WebViewHost.ScreenshotAsync(page, name);
        var axe = await page.RunAxe(new Deque.AxeCore.Commons.AxeRunOptions
        {
            RunOnly = new Deque.AxeCore.Commons.RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
        });
        Assert.True(axe.Violations.Length == 0,
            $"{name}: " + string.Join("\n", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html).Take(3))})")));
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{name}: the page is {overflow} px wider than the viewport");
    }
}
