using Ratify.Testing;

namespace Ratify.Durable.Tests.Sdk;

/// <summary>Orchestrators written against Microsoft's Durable Task SDK run unchanged on this backend, with the SDK's documented behaviour.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProgrammingModelTests(AzuriteFixture azurite)
{
    private static void Register(DurableTaskRegistry r)
    {
        r.AddOrchestrator<HelloCitiesOrchestrator>();
        r.AddActivity<SayHelloActivity>();
        r.AddOrchestratorFunc(nameof(HelloCitiesFunctions.HelloCities), HelloCitiesFunctions.HelloCities);
        r.AddActivityFunc<string, string>(nameof(HelloCitiesFunctions.SayHello), HelloCitiesFunctions.SayHello);
    }

    [Theory]
    [InlineData(nameof(HelloCitiesOrchestrator))]
    [InlineData(nameof(HelloCitiesFunctions.HelloCities))]
    public async Task The_documented_hello_cities_orchestration_runs_unchanged(string orchestrator)
    {
        await using var host = await TestWorkerHost.StartAsync(azurite, TestNames.NewHub(), Register);
        var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(orchestrator, cancellation: TestTimeout.Token());

        var done = await host.Client.WaitForInstanceCompletionAsync(id, getInputsAndOutputs: true, TestTimeout.Token());

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["Hello Tokyo!", "Hello Seattle!", "Hello London!"], done.ReadOutputAs<List<string>>());
    }
}
