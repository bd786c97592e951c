using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Ratify.Functions.Approvals;
using Ratify.Functions.Events;
using Ratify.Functions.Runs;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>Reading a whole run, and how long <c>POST /v1/runs</c> waits for it to finish.</summary>
public static partial class RunsEndpoints
{
    /// <summary>The longest wait a start may ask for.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The run in one point read of its snapshot (plus one read per output too large for its event), or, for a run without one
    /// (created before snapshots were kept), composed from the run's row, orchestration, outputs, artifacts and approvals.
    /// </summary>
    private static async Task<RunResponse> ReadRunAsync(string runId, CallerContext caller, RunReaders readers, CancellationToken cancellationToken)
    {
        if (!RunIds.IsWellFormed(runId))
        {
            throw NoSuchRun(runId);
        }

        var (seq, snapshot) = await readers.Events.ReadHeadAsync(caller.TenantId, runId, cancellationToken).ConfigureAwait(false);
        if (snapshot is not null)
        {
            return await FromSnapshotAsync(snapshot, caller, readers, cancellationToken).ConfigureAwait(false);
        }

        return await ComposeRunAsync(runId, caller, readers, cancellationToken).ConfigureAwait(false) with { Seq = seq };
    }

    /// <summary>The run composed from every store it is kept in: the answer for runs without a snapshot, and the yardstick the snapshot is tested against.</summary>
    internal static async Task<RunResponse> ComposeRunAsync(string runId, CallerContext caller, RunReaders readers, CancellationToken cancellationToken)
    {
        var run = await FindAsync(readers.View, caller, runId, cancellationToken).ConfigureAwait(false);
        var definition = readers.Workflows.GetDefinitionAsync(caller.TenantId, run.Record.WorkflowId, run.Record.Version, cancellationToken);
        var outputs = readers.Results.GetOutputsAsync(runId, cancellationToken);
        var artifacts = readers.Results.ListArtifactsAsync(runId, cancellationToken);
        var executions = readers.Attempts.GetExecutionsAsync(runId, cancellationToken);
        var gates = (run.Progress?.Steps.Values ?? []).Select(s => s.ApprovalId).OfType<string>()
            .Select(id => readers.Approvals.GetAsync(caller.TenantId, id, cancellationToken)).ToList();
        await Task.WhenAll(definition, outputs, artifacts, executions).ConfigureAwait(false);
        var statuses = (await Task.WhenAll(gates).ConfigureAwait(false)).OfType<ApprovalRecord>()
            .ToDictionary(a => a.ApprovalId, a => a.Status, StringComparer.Ordinal);
        return RunResponse.From(run, await definition.ConfigureAwait(false), await outputs.ConfigureAwait(false), await artifacts.ConfigureAwait(false),
            await executions.ConfigureAwait(false), statuses);
    }

    /// <summary>The run from its snapshot, reading only what the snapshot marks as held elsewhere.</summary>
    private static async Task<RunResponse> FromSnapshotAsync(RunSnapshot snapshot, CallerContext caller, RunReaders readers, CancellationToken cancellationToken)
    {
        var omitted = snapshot.Steps.Where(s => s.OutputOmitted).Select(s => s.Id).ToList();
        var outputs = omitted.Select(id => readers.Results.GetOutputAsync(snapshot.RunId, id, cancellationToken)).ToList();
        var artifacts = snapshot.ArtifactsOmitted ? readers.Results.ListArtifactsAsync(snapshot.RunId, cancellationToken) : null;
        var record = snapshot.InputOmitted ? readers.Runs.GetAsync(caller.TenantId, snapshot.RunId, cancellationToken) : null;
        var read = await Task.WhenAll(outputs).ConfigureAwait(false);
        var found = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        for (var i = 0; i < omitted.Count; i++)
        {
            if (read[i].Found)
            {
                found[omitted[i]] = read[i].Output;
            }
        }

        var input = record is null ? snapshot.Input : (await record.ConfigureAwait(false))?.Input;
        return RunResponse.From(snapshot, input, found, artifacts is null ? null : await artifacts.ConfigureAwait(false));
    }

    /// <summary>The wait a start asks for, for its storage budget; an invalid one counts as none (the handler answers 400).</summary>
    private static TimeSpan RequestedWait(HttpContext context)
    {
        try
        {
            return WaitTime(context.Request.Query["wait"].FirstOrDefault(), context.Request.Headers["Prefer"].FirstOrDefault());
        }
        catch (BadRequestProblemException)
        {
            return TimeSpan.Zero;
        }
    }

    /// <summary>The wait asked for with <c>?wait=30s</c> (or <c>30</c>) or <c>Prefer: wait=30</c> (RFC 7240), at most <see cref="MaxWait"/>; zero when none.</summary>
    private static TimeSpan WaitTime(string? query, string? prefer)
    {
        if (query is not null)
        {
            return WaitQuery().Match(query) is { Success: true } m
                ? Cap(int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
                : throw new BadRequestProblemException($"wait must be a number of seconds such as 30s (at most {(int)MaxWait.TotalSeconds}), not '{query}'.");
        }

        // Preferences the server does not know are ignored, as RFC 7240 asks.
        return prefer is not null && PreferWait().Match(prefer) is { Success: true } p
            ? Cap(int.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture))
            : TimeSpan.Zero;
    }

    private static TimeSpan Cap(int seconds) => TimeSpan.FromSeconds(Math.Min(seconds, (int)MaxWait.TotalSeconds));

    [GeneratedRegex(@"^([0-9]{1,4})s?$")]
    private static partial Regex WaitQuery();

    [GeneratedRegex(@"(?:^|[;,]\s*)wait\s*=\s*([0-9]{1,4})\b", RegexOptions.IgnoreCase)]
    private static partial Regex PreferWait();
}
