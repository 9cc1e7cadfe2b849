extern alias worker;
using Evidence.Api;
using MassTransit.UsageTracking;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using WorkerExtensions = worker::Evidence.Worker.Extensions;

namespace Evidence.IntegrationTests.Security;

/// <summary>
/// Neither host reports anything to MassTransit's vendor: the usage tracker each host's bus is
/// configured with (the object that would post the report) is disabled.
/// </summary>
public sealed class UsageTelemetryTests
{
    [Fact]
    public void ApiBus_Should_HaveUsageTelemetryOff()
    {
        var builder = WebApplication.CreateBuilder();
        builder.AddEvidenceApi();
        using var app = builder.Build();

        Assert.False(Assert.IsType<UsageTracker>(app.Services.GetRequiredService<IUsageTracker>()).Enabled);
    }

    [Fact]
    public void WorkerBus_Should_HaveUsageTelemetryOff()
    {
        var builder = Host.CreateApplicationBuilder();
        WorkerExtensions.AddEvidenceWorker(builder);
        using var host = builder.Build();

        Assert.False(Assert.IsType<UsageTracker>(host.Services.GetRequiredService<IUsageTracker>()).Enabled);
    }
}
