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
    /// <param name="input">The step attempt.</param>
    /// <param name="referenced">The only steps whose outputs the step reads (<see cref="Workflows.StepReferences"/>); null for every stored output.</param>
    public async Task<JsonObject> ReadAsync(StepExecution input, IReadOnlySet<string>? referenced = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        // A small input came with the attempt: the run's row is read only for a larger one.
        var runInput = input.InputJson is { } carried ? Task.FromResult<JsonNode?>(JsonNode.Parse(carried)) : InputAsync(input);
        var outputs = referenced is null
            ? await results.GetOutputsAsync(input.RunId).ConfigureAwait(false)
            : await ReadReferencedAsync(input.RunId, referenced, input.UpstreamOutputs).ConfigureAwait(false);
        var steps = new JsonObject();
        foreach (var (stepId, output) in outputs)
        {
            steps[stepId] = new JsonObject { ["output"] = output?.DeepClone() };
        }

        return new JsonObject
        {
            ["input"] = await runInput.ConfigureAwait(false),
            ["steps"] = steps,
            ["run"] = new JsonObject
            {
                ["id"] = input.RunId,
                ["workflowId"] = input.WorkflowId,
                ["startedAt"] = input.StartedAt.ToString("O"),
            },
        };
    }

    private async Task<JsonNode?> InputAsync(StepExecution input) =>
        (await RunAsync(input.TenantId, input.RunId).ConfigureAwait(false)).Input?.DeepClone();

    // The outputs that came with the attempt, and one point read per other referenced step, in parallel, instead of every
    // output of the run; a step with no stored output is absent, as in a full read.
    private async Task<Dictionary<string, JsonNode?>> ReadReferencedAsync(string runId, IReadOnlySet<string> referenced, IReadOnlyDictionary<string, string>? carried)
    {
        var outputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        var ids = new List<string>(referenced.Count);
        foreach (var id in referenced)
        {
            if (carried is not null && carried.TryGetValue(id, out var json))
            {
                outputs[id] = JsonNode.Parse(json);
            }
            else
            {
                ids.Add(id);
            }
        }

        if (ids.Count == 0)
        {
            return outputs;
        }

        var read = await Task.WhenAll(ids.Select(id => results.GetOutputAsync(runId, id))).ConfigureAwait(false);
        for (var i = 0; i < ids.Count; i++)
        {
            if (read[i] is { Found: true } found)
            {
                outputs[ids[i]] = found.Output;
            }
        }

        return outputs;
    }
}
