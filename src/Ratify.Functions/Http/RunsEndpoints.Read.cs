using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Ratify.Functions.Approvals;
using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>Reading a whole run, and how long <c>POST /v1/runs</c> waits for it to finish.</summary>
public static partial class RunsEndpoints
{
    /// <summary>The longest wait a start may ask for.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private static async Task<RunResponse> ReadRunAsync(string runId, CallerContext caller, RunReaders readers, CancellationToken cancellationToken)
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
