using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Connectors;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>The real app (its DI, durable worker and stores) on Azurite, driven below the HTTP layer.</summary>
internal sealed class RunHarness : IAsyncDisposable
{
    private readonly RatifyApiFactory _api;
    private readonly WebApplicationFactory<Program> _app;

    /// <param name="services">Replaces services of the app (e.g. a store on faulty storage).</param>
    public RunHarness(AzuriteFixture azurite, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        _api = new RatifyApiFactory(azurite, settings);
        _app = _api.WithWebHostBuilder(b => b.ConfigureTestServices(s =>
        {
            s.AddSingleton<IConnector, ScriptedConnector>();
            services?.Invoke(s);
        }));
        _ = _app.Server; // start the host and its durable worker
    }

    public IServiceProvider Services => _app.Services;

    /// <param name="adjust">Changes the orchestration's input before it is scheduled.</param>
    public async Task<string> StartAsync(string definitionJson, JsonNode? input, CancellationToken cancellationToken, Func<RunOrchestrationInput, RunOrchestrationInput>? adjust = null)
    {
        var parsed = Services.GetRequiredService<WorkflowDefinitionParser>().Parse(definitionJson);
        Assert.True(parsed.IsValid, string.Join("; ", parsed.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        var stored = await Services.GetRequiredService<WorkflowStore>().CreateAsync("default", parsed.Definition!, cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var runId = RunIds.New(now);
        await Services.GetRequiredService<RunStore>().CreateAsync(
            new RunRecord(runId, "default", stored.Id, stored.Version, RunStatuses.Running, input, now, null, null, null, "test"), cancellationToken);
        var definition = JsonSerializer.SerializeToNode(stored.Definition, WorkflowJson.Options)!.AsObject();
        await Client.ScheduleNewOrchestrationInstanceAsync(RunOrchestrator.Name,
            adjust is null ? new RunOrchestrationInput(runId, "default", stored.Id, stored.Version, definition, now)
                : adjust(new RunOrchestrationInput(runId, "default", stored.Id, stored.Version, definition, now)),
            new StartOrchestrationOptions(runId), cancellationToken);
        return runId;
    }

    public DurableTaskClient Client => Services.GetRequiredService<DurableTaskClient>();

    public async Task<RunProgress> CompletionAsync(string runId, CancellationToken cancellationToken)
    {
        var done = await Client.WaitForInstanceCompletionAsync(runId, true, cancellationToken);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        return done.ReadOutputAs<RunProgress>()!;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _api.DisposeAsync();
    }
}
