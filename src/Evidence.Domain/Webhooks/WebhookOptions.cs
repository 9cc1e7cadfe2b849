using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Evidence.Domain.Webhooks;

/// <summary>
/// The <c>Webhooks</c> section, as the API and the worker read it: the key of the secrets
/// (<c>SecretKey</c>), whether private targets are allowed (<c>AllowPrivateTargets</c>, for tests
/// and local use), the retries (<c>FirstRetrySeconds</c> 5, doubling up to <c>MaxRetrySeconds</c>
/// 3600, until <c>GiveUpHours</c> 24 after the first attempt), how often the worker looks for work
/// (<c>PollMilliseconds</c> 500), how long an attempt may take (<c>TimeoutSeconds</c> 10) and how
/// many subscriptions it serves at once (<c>Concurrency</c> 8).
/// </summary>
/// <remarks><see cref="Secrets"/> is null when no usable key is set; <see cref="SecretKeyProblem"/> then says what is wrong with the one set, if any.</remarks>
public sealed record WebhookOptions(
    WebhookSecretBox? Secrets, string? SecretKeyProblem, bool AllowPrivateTargets, WebhookRetry Retry, TimeSpan Poll, TimeSpan Timeout, int Concurrency)
{
    public static WebhookOptions From(IConfiguration configuration)
    {
        var section = configuration.GetSection("Webhooks");
        double Number(string name, double fallback) =>
            double.TryParse(section[name], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : fallback;
        var secrets = WebhookSecretBox.FromSetting(section["SecretKey"], out var problem);
        return new WebhookOptions(
            secrets, problem,
            bool.TryParse(section["AllowPrivateTargets"], out var allow) && allow,
            new WebhookRetry(TimeSpan.FromSeconds(Number("FirstRetrySeconds", 5)), TimeSpan.FromSeconds(Number("MaxRetrySeconds", 3600)),
                TimeSpan.FromHours(Number("GiveUpHours", 24))),
            TimeSpan.FromMilliseconds(Number("PollMilliseconds", 500)),
            TimeSpan.FromSeconds(Number("TimeoutSeconds", 10)),
            (int)Number("Concurrency", 8));
    }
}
