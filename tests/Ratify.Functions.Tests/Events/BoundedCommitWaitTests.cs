using Azure.Data.Tables;
using Microsoft.Extensions.Logging.Abstractions;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Storage;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>
/// A caller waiting for its event's commit stops when its own token ends (a request's storage budget), while the writer goes on
/// retrying and writes the event once storage answers. Uses an Azurite of its own, frozen with SIGSTOP.
/// </summary>
public sealed class BoundedCommitWaitTests : IAsyncLifetime
{
    private readonly AzuriteFixture _azurite = new();
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));

    private CancellationToken Timeout => _timeout.Token;

    public Task InitializeAsync() => _azurite.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _azurite.ThawAsync();
        await _azurite.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_caller_stops_waiting_for_a_commit_when_its_budget_ends_and_the_event_is_written_once_storage_answers()
    {
        var tables = new AppTables(new TableServiceClient(_azurite.ConnectionString), TestNames.NewHub());
        var log = new RunEventLog(tables, new RunEventSignal(), TimeProvider.System, NullLogger<RunEventLog>.Instance);
        var runId = RunIds.New(DateTimeOffset.UtcNow);
        await log.AppendOrThrowAsync("default", runId, "run.started", [], Timeout);

        await _azurite.FreezeAsync();
        try
        {
            using var budget = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
            budget.CancelAfter(TimeSpan.FromMilliseconds(500));

            // Returns while storage is still frozen: the wait ended with the budget, not with the writer's retries.
            await log.AppendAsync("default", runId, "step.started", [], budget.Token);
            Assert.False(Timeout.IsCancellationRequested);

            using var strict = CancellationTokenSource.CreateLinkedTokenSource(Timeout);
            strict.CancelAfter(TimeSpan.FromMilliseconds(500));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendOrThrowAsync("default", runId, "step.completed", [], strict.Token));
        }
        finally
        {
            await _azurite.ThawAsync();
        }

        IReadOnlyList<RunEvent> events = [];
        while (events.Count < 3)
        {
            Timeout.ThrowIfCancellationRequested();
            events = await log.ReadRunAsync("default", runId, 0, Timeout);
            if (events.Count < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), Timeout);
            }
        }

        Assert.Equal(["run.started", "step.started", "step.completed"], events.Select(e => e.Type));
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Seq));
    }
}
