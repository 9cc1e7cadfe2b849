using System.Net;
using Evidence.Cli.Common;
using Evidence.Cli.Importing;

namespace Evidence.Cli.Tests;

/// <summary>The import's progress when standard error is not a terminal (a pipe, a log, CI): plain lines, no escape codes.</summary>
public class ImportProgressTests
{
    private static readonly string Samples = Path.Combine(AppContext.BaseDirectory, "samples");

    /// <summary>An API that has nothing yet and accepts every post.</summary>
    private sealed class EmptyApi : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(request.Method == HttpMethod.Get ? HttpStatusCode.NotFound : HttpStatusCode.Created));
    }

    [Fact]
    public async Task ProgressWhenRedirected_Should_BePlainLines_AndTheTallyCountEveryItem()
    {
        var outcomes = ReviewFiles.Outcomes(CsvTable.Read(Path.Combine(Samples, "outcomes.csv")));
        var trials = ReviewFiles.Trials(CsvTable.Read(Path.Combine(Samples, "trials.csv")));
        using var http = new HttpClient(new EmptyApi()) { BaseAddress = new Uri("http://api.invalid/") };
        var progress = new StringWriter();

        var tally = await ImportCommand.ImportAsync(http, "r", "R", "q", outcomes, trials, [], progress, default);

        Assert.False(tally.Failed);
        Assert.Equal(1 + outcomes.Count + trials.Count, tally.Results.Count(r => r.Result == ImportCommand.ItemResult.Created));
        // Without a terminal to redraw, progress is a line now and then ("import r: 47%"), never a bar.
        Assert.All(progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.Matches(@"^import r: \d+%$", line));
    }
}
