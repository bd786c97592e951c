namespace Ratify.Functions.Runs;

/// <summary>Names one execution of one step attempt: what its results are stored under, apart from every other attempt's.</summary>
/// <param name="Order">The attempt's schedule time in ticks (0 when no attempt orders it).</param>
/// <param name="Execution">Which execution of the attempt this is (1 for the first; more when a host died running it).</param>
public sealed record StepAttemptKey(string RunId, string StepId, int Attempt, long Order, int Execution)
{
    /// <summary>The row key prefix, sorting a step's attempts in the order they were scheduled.</summary>
    internal string RowKey => $"{StepId}:{Order:D19}:{Attempt:D4}:{Execution:D4}";

    /// <summary>Where this execution's large contents are kept.</summary>
    internal string BlobFolder => $"runs/{RunId}/attempts/{StepId}/{Order}-{Attempt}-{Execution}";
}
