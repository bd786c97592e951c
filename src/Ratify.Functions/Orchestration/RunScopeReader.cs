using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>Reads what a step's templates and conditions may see: the run's input, the outputs so far, and the run's identity.</summary>
public sealed class RunScopeReader(RunStore runs, StepResultStore results, IMemoryCache cache)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromMinutes(10);

    /// <summary>The run's row (cached: it does not change while steps run).</summary>
    public async Task<RunRecord> RunAsync(string tenantId, string runId) =>
        await cache.GetOrCreateAsync($"run:{tenantId}:{runId}", entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            return runs.GetAsync(tenantId, runId);
        }).ConfigureAwait(false) ?? throw new InvalidOperationException($"Run {runId} has no record.");

    /// <summary>The scope <c>{input, steps, run}</c> of <paramref name="input"/>'s run as it stands now.</summary>
    public async Task<JsonObject> ReadAsync(StepExecution input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var run = await RunAsync(input.TenantId, input.RunId).ConfigureAwait(false);
        var steps = new JsonObject();
        foreach (var (stepId, output) in await results.GetOutputsAsync(input.RunId).ConfigureAwait(false))
        {
            steps[stepId] = new JsonObject { ["output"] = output?.DeepClone() };
        }

        return new JsonObject
        {
            ["input"] = run.Input?.DeepClone(),
            ["steps"] = steps,
            ["run"] = new JsonObject
            {
                ["id"] = input.RunId,
                ["workflowId"] = input.WorkflowId,
                ["startedAt"] = input.StartedAt.ToString("O"),
            },
        };
    }
}
