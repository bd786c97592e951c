using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Ratify.Functions.Storage;

namespace Ratify.Functions.Runs;

/// <summary>
/// Step outputs (table StepOutputs) and artifacts (table Artifacts; content inline when small, else in a blob),
/// both partitioned by run id. Activities write them; the orchestrator only passes references.
/// </summary>
/// <remarks>
/// Writes carry an order (when the attempt was scheduled): a late execution of an earlier attempt cannot replace what a
/// later one stored (<see cref="OrderedRows"/>). Large contents go to blobs named by that order, for the same reason.
/// </remarks>
public sealed class StepResultStore(AppTables tables, AppBlobs blobs, TimeProvider time)
{
    private const int MaxInlineBytes = 48_000; // a binary property holds at most 64 KiB
    private static readonly string[] InfoColumns = ["StepId", "Name", "Type", "MediaType", "Size", "Sha256", "CreatedAt"];

    /// <summary>Stores the step's output; false when a later attempt already stored one (this write is stale).</summary>
    /// <param name="order">The attempt's schedule time in ticks; 0 for a write that no attempt orders (a copy).</param>
    public async Task<bool> SaveOutputAsync(string runId, string stepId, JsonNode? output, long order = 0, CancellationToken cancellationToken = default) =>
        await SaveOutputAsync(runId, stepId, output?.ToJsonString() ?? "null", order, null, cancellationToken).ConfigureAwait(false) == OrderedWrite.Written;

    /// <summary>Stores the output one execution of an attempt produced, unless a later attempt or another execution of this one stored first.</summary>
    /// <param name="outputJson">The output as JSON (<c>null</c> for none).</param>
    public Task<OrderedWrite> SaveAttemptOutputAsync(StepAttemptKey key, string outputJson, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveOutputAsync(key.RunId, key.StepId, outputJson, key.Order, key.Execution, cancellationToken);
    }

    private async Task<OrderedWrite> SaveOutputAsync(string runId, string stepId, string outputJson, long order, int? execution, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync("StepOutputs", cancellationToken).ConfigureAwait(false);
        var row = new TableEntity(runId, stepId) { ["SavedAt"] = time.GetUtcNow() };
        var blob = execution is null ? $"runs/{runId}/steps/{stepId}/output-{order}.json" : $"runs/{runId}/steps/{stepId}/output-{order}-{execution}.json";
        await LargeText.WriteAsync(row, "Output", outputJson, blobs, blob, cancellationToken).ConfigureAwait(false);
        return await OrderedRows.WriteAsync(table, row, order, execution, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every stored output of the run, by step id.</summary>
    public async Task<Dictionary<string, JsonNode?>> GetOutputsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("StepOutputs", cancellationToken).ConfigureAwait(false);
        var outputs = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var json = await LargeText.ReadAsync(row, "Output", blobs, cancellationToken).ConfigureAwait(false);
            outputs[row.RowKey] = json is null ? null : JsonNode.Parse(json);
        }

        return outputs;
    }

    /// <summary>The stored output of one step: Found is false when the step stored none.</summary>
    public async Task<(bool Found, JsonNode? Output)> GetOutputAsync(string runId, string stepId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("StepOutputs", cancellationToken).ConfigureAwait(false);
        var row = await table.GetEntityIfExistsAsync<TableEntity>(runId, stepId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!row.HasValue)
        {
            return (false, null);
        }

        var json = await LargeText.ReadAsync(row.Value!, "Output", blobs, cancellationToken).ConfigureAwait(false);
        return (true, json is null ? null : JsonNode.Parse(json));
    }

    /// <summary>Stores an artifact of the step; <see cref="ArtifactInfo"/> describes it, or null when a later attempt already stored one under that name.</summary>
    /// <param name="order">The attempt's schedule time in ticks; 0 for a write that no attempt orders (a copy).</param>
    public Task<ArtifactInfo?> SaveArtifactAsync(
        string runId, string stepId, string name, string type, ReadOnlyMemory<byte> content, long order = 0, CancellationToken cancellationToken = default) =>
        SaveArtifactAsync(runId, stepId, name, type, content, order, null, cancellationToken);

    /// <summary>Stores an artifact one execution of an attempt produced, unless a later attempt or another execution of this one stored it first (null then).</summary>
    public Task<ArtifactInfo?> SaveAttemptArtifactAsync(StepAttemptKey key, string name, string type, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return SaveArtifactAsync(key.RunId, key.StepId, name, type, content, key.Order, key.Execution, cancellationToken);
    }

    private async Task<ArtifactInfo?> SaveArtifactAsync(
        string runId, string stepId, string name, string type, ReadOnlyMemory<byte> content, long order, int? execution, CancellationToken cancellationToken)
    {
        var table = await tables.GetAsync("Artifacts", cancellationToken).ConfigureAwait(false);
        var info = new ArtifactInfo(stepId, name, type, ArtifactInfo.MediaTypeOf(type), content.Length,
            Convert.ToHexStringLower(SHA256.HashData(content.Span)), time.GetUtcNow());
        var row = new TableEntity(runId, Key(stepId, name))
        {
            ["StepId"] = stepId,
            ["Name"] = name,
            ["Type"] = type,
            ["MediaType"] = info.MediaType,
            ["Size"] = info.Size,
            ["Sha256"] = info.Sha256,
            ["CreatedAt"] = info.CreatedAt,
        };
        if (content.Length > MaxInlineBytes)
        {
            var folder = execution is null ? $"{order}" : $"{order}-{execution}";
            row["Blob"] = await blobs.UploadAsync($"runs/{runId}/artifacts/{stepId}/{folder}/{name}", BinaryData.FromBytes(content), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            row["Content"] = content.ToArray();
        }

        return await OrderedRows.WriteAsync(table, row, order, execution, cancellationToken).ConfigureAwait(false) == OrderedWrite.Written ? info : null;
    }

    public async Task<IReadOnlyList<ArtifactInfo>> ListArtifactsAsync(string runId, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("Artifacts", cancellationToken).ConfigureAwait(false);
        var artifacts = new List<ArtifactInfo>();
        await foreach (var row in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {runId}"), select: InfoColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            artifacts.Add(InfoOf(row));
        }

        return artifacts;
    }

    /// <summary>The artifact with its content, or null when there is none.</summary>
    public async Task<(ArtifactInfo Info, BinaryData Content)?> GetArtifactAsync(string runId, string stepId, string name, CancellationToken cancellationToken = default)
    {
        var table = await tables.GetAsync("Artifacts", cancellationToken).ConfigureAwait(false);
        var found = await table.GetEntityIfExistsAsync<TableEntity>(runId, Key(stepId, name), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!found.HasValue)
        {
            return null;
        }

        var row = found.Value!;
        var content = row.GetString("Blob") is { } blob
            ? await blobs.DownloadAsync(blob, cancellationToken).ConfigureAwait(false)
            : BinaryData.FromBytes(row.GetBinary("Content") ?? []);
        return (InfoOf(row), content);
    }

    /// <summary>Copies a step's output and artifacts from another run (a replay reusing a recorded step).</summary>
    public async Task CopyStepAsync(string fromRunId, string toRunId, string stepId, CancellationToken cancellationToken = default)
    {
        var outputs = await tables.GetAsync("StepOutputs", cancellationToken).ConfigureAwait(false);
        var output = await outputs.GetEntityIfExistsAsync<TableEntity>(fromRunId, stepId, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (output.HasValue)
        {
            var json = await LargeText.ReadAsync(output.Value!, "Output", blobs, cancellationToken).ConfigureAwait(false);
            await SaveOutputAsync(toRunId, stepId, json is null ? null : JsonNode.Parse(json), cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // Only this step's artifacts: their row keys start with "{stepId}:".
        var artifacts = await tables.GetAsync("Artifacts", cancellationToken).ConfigureAwait(false);
        var prefix = Key(stepId, string.Empty);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {fromRunId} and RowKey ge {prefix} and RowKey lt {stepId + ";"}");
        await foreach (var row in artifacts.QueryAsync<TableEntity>(filter, select: InfoColumns, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var info = InfoOf(row);
            var stored = await GetArtifactAsync(fromRunId, stepId, info.Name, cancellationToken).ConfigureAwait(false);
            await SaveArtifactAsync(toRunId, stepId, info.Name, info.Type, stored!.Value.Content.ToMemory(), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Key(string stepId, string name) => stepId + ":" + name;

    private static ArtifactInfo InfoOf(TableEntity row) => new(
        row.GetString("StepId") ?? string.Empty,
        row.GetString("Name") ?? string.Empty,
        row.GetString("Type") ?? string.Empty,
        row.GetString("MediaType") ?? "application/octet-stream",
        row.GetInt64("Size") ?? 0,
        row.GetString("Sha256") ?? string.Empty,
        row.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);
}
