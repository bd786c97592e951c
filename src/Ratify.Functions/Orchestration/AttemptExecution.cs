using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Orchestration;

/// <summary>
/// One execution of a step attempt (activities run at least once, so an attempt may execute again): its number, counted in
/// <see cref="StepAttemptStore"/>, and the record of what it produced, kept in <see cref="StepAttemptResultStore"/>.
/// </summary>
/// <remarks>
/// A step that may act outside the activity is counted before it acts (<see cref="CountedAsync"/>). A transform acts on nothing
/// outside, so its first execution is counted in the transaction that records its result (<see cref="CountedWithResult"/>), or
/// on its own when it ends without recording one (<see cref="EndAsync"/>).
/// </remarks>
internal sealed partial class AttemptExecution
{
    private readonly StepExecution _input;
    private readonly StepAttemptStore _attempts;
    private readonly StepAttemptResultStore _results;
    private readonly ILogger _logger;
    private bool _uncounted;

    private AttemptExecution(StepExecution input, StepAttemptStore attempts, StepAttemptResultStore results, ILogger logger, bool uncounted)
    {
        _input = input;
        _attempts = attempts;
        _results = results;
        _logger = logger;
        _uncounted = uncounted;
        Key = KeyOf(1);
    }

    /// <summary>The key of this execution's rows; its number is known once the execution is counted.</summary>
    public StepAttemptKey Key { get; private set; }

    /// <summary>Counts the execution before the step acts.</summary>
    public static async Task<AttemptExecution> CountedAsync(StepExecution input, StepAttemptStore attempts, StepAttemptResultStore results, ILogger logger)
    {
        var execution = new AttemptExecution(input, attempts, results, logger, uncounted: false);
        execution.Key = execution.KeyOf(await execution.CountAsync().ConfigureAwait(false));
        return execution;
    }

    /// <summary>Leaves the count to the transaction that records the result: for a transform with a schedule time.</summary>
    public static AttemptExecution CountedWithResult(StepExecution input, StepAttemptStore attempts, StepAttemptResultStore results, ILogger logger) =>
        new(input, attempts, results, logger, uncounted: input.ScheduledAt is not null);

    /// <summary>Records what this execution produced, counting it in the same transaction when its count was left to the record.</summary>
    public async Task RecordAsync(JsonNode? output, IReadOnlyList<AttemptArtifact> artifacts)
    {
        if (_uncounted && _input.ScheduledAt is { } scheduledAt)
        {
            // Counted here or not at all: a failed write leaves at worst one uncounted execution of a step without effects.
            _uncounted = false;
            if (await _results.RecordFirstExecutionAsync(Key, scheduledAt, output, artifacts).ConfigureAwait(false))
            {
                return;
            }

            // Executed before: this execution is counted on its own and records under its own number.
            Key = KeyOf(await CountAsync().ConfigureAwait(false));
        }

        await _results.RecordAsync(Key, _input.ScheduledAt, output, artifacts).ConfigureAwait(false);
    }

    /// <summary>Counts an execution that ends without having recorded a result, when its count was left to the record.</summary>
    public async Task EndAsync()
    {
        if (_uncounted)
        {
            _uncounted = false;
            await CountAsync().ConfigureAwait(false);
        }
    }

    private async Task<int> CountAsync()
    {
        if (_input.ScheduledAt is not { } scheduledAt)
        {
            return 1;
        }

        var execution = await _attempts.RecordExecutionAsync(_input.RunId, _input.StepId, _input.Attempt, scheduledAt).ConfigureAwait(false);
        if (execution > 1)
        {
            LogExecutedAgain(_logger, _input.RunId, _input.StepId, _input.Attempt, execution);
        }

        return execution;
    }

    private StepAttemptKey KeyOf(int execution) => new(_input.RunId, _input.StepId, _input.Attempt, _input.ScheduledAt?.UtcTicks ?? 0, execution);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning,
        Message = "Step {StepId} of run {RunId}, attempt {Attempt}, is executing again (execution {Execution}): the host that ran it stopped or lost the run's partition")]
    private static partial void LogExecutedAgain(ILogger logger, string runId, string stepId, int attempt, int execution);
}
