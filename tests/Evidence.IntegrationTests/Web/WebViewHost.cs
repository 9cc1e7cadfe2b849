extern alias cli;
using System.Net;
using System.Net.Sockets;
using cli::Evidence.Cli.Common;
using cli::Evidence.Cli.Importing;
using Evidence.IntegrationTests.Api;
using Evidence.IntegrationTests.Snapshots;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Evidence.IntegrationTests.Web;

/// <summary>
/// The web view's world for one test class: the pipeline (API and worker) with the demo review
/// imported and made public, a second API host listening on a real port for the browser, and
/// Debian's headless Chromium driven by Playwright.
/// </summary>
public sealed class WebViewHost : IAsyncLifetime
{
    public const string Browser = "/usr/bin/chromium";

    private readonly SnapshotPipeline<WebViewHost> pipeline = new();
    private WebApplicationFactory<Program>? kestrel;
    private IPlaywright? playwright;

    public SnapshotPipeline<WebViewHost> Pipeline => pipeline;
    public HttpClient Client => pipeline.Client;
    public string BaseUrl { get; private set; } = "";
    public IBrowser Chromium { get; private set; } = null!;

    /// <summary>Where the screenshots go: <c>artifacts/ui</c> in the test output folder.</summary>
    public static string Artifacts { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "artifacts", "ui")).FullName;

    public async Task InitializeAsync()
    {
        if (!File.Exists(Browser))
            throw new InvalidOperationException($"{Browser} is missing: the web view is tested in Debian's Chromium. Run ./evidence.sh test, which installs chromium and chromium-driver, or apt-get install -y chromium chromium-driver.");
        await pipeline.InitializeAsync();
        await ImportDemoAsync();

        var port = FreePort();
        kestrel = pipeline.StartApi(new Dictionary<string, string?>());
        kestrel.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        kestrel.StartServer();
        var addresses = kestrel.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("localhost", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/');
        Console.WriteLine($"web view under test at {string.Join(", ", addresses)}");

        playwright = await Playwright.CreateAsync();
        Chromium = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Browser,
            Headless = true,
            // Root in a container has no user namespace for Chromium's sandbox.
            Args = ["--no-sandbox"],
        });
    }

    /// <summary>A new browser context (its own cookies) at <paramref name="width"/> pixels wide.</summary>
    public Task<IBrowserContext> ContextAsync(int width) =>
        Chromium.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 }, BaseURL = BaseUrl });

    /// <summary>The whole page, and what the first screen shows (a phone's full page is too tall to read at once).</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + ".png"), FullPage = true });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name + "-screen.png") });
    }

    private async Task ImportDemoAsync()
    {
        var samples = Path.Combine(AppContext.BaseDirectory, "samples", "ld-il2");
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(Path.Combine(samples, "outcomes.csv")));
        var trials = ReviewFiles.Trials(CsvTable.Read(Path.Combine(samples, "trials.csv")));
        var corrections = ReviewFiles.Corrections(CsvTable.Read(Path.Combine(samples, "corrections.csv")));
        var thresholds = ReviewFiles.Thresholds(CsvTable.Read(Path.Combine(samples, "thresholds.csv")));
        var sequential = ReviewFiles.Sequential(CsvTable.Read(Path.Combine(samples, "sequential.csv")));
        var tally = await ImportCommand.ImportAsync(Client, "ld-il2", "Low-dose IL-2 in autoimmune rheumatic diseases",
            "What do low-dose IL-2 regimens do in autoimmune rheumatic diseases?", outcomes, trials, corrections, TextWriter.Null, default, thresholds, sequential);
        Assert.DoesNotContain(tally.Results, r => r.Result.Error is not null);
        foreach (var outcome in outcomes)
        {
            // One version per publication year (the import's batches) and one per correction.
            var versions = trials.Where(t => t.Data.ContainsKey(outcome.Id)).Select(t => t.Year).Distinct().Count() + corrections.Count(c => c.Data.ContainsKey(outcome.Id));
            await pipeline.WaitForVersionsAsync("ld-il2", outcome.Id, versions);
        }
        var published = await Client.Post("/reviews/ld-il2/visibility", new { @public = true, reason = "published with the guideline" });
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async Task DisposeAsync()
    {
        if (Chromium is not null)
            await Chromium.DisposeAsync();
        playwright?.Dispose();
        if (kestrel is not null)
            await kestrel.DisposeAsync();
        await pipeline.DisposeAsync();
    }
}
