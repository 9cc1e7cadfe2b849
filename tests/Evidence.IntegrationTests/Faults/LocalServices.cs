namespace Evidence.IntegrationTests.Faults;

/// <summary>Stops and starts one of the locally started services through the project's own script.</summary>
public static class LocalServices
{
    public static async Task StopAsync(string service) => await RunAsync("stop", service);

    public static async Task StartAsync(string service) => await RunAsync("start", service);

    private static async Task RunAsync(string action, string service)
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(EvidenceServices.PostgresVariable)))
            throw new InvalidOperationException(
                "The fault tests stop and start the local services and need them: run ./evidence.sh test, or ./evidence.sh services up and export what it prints.");
        await EvidenceScript.RunAsync(["services", action, service]);
    }
}

/// <summary>The fault tests take shared services away, so they never run beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
