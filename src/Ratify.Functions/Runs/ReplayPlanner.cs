using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Runs;

/// <summary>Decides what a replay reuses and what it runs again; pure, so that a dry run and the real replay agree.</summary>
/// <remarks>
/// A replay from step S re-executes S and every step that depends on it, directly or through others. Every other step
/// that completed or was skipped in the original is reused. A step that would re-execute after it completed in the original
/// with an <see cref="SideEffect.Irreversible"/> side effect is never repeated silently: the replay is refused unless the
/// caller sets <c>rerunIrreversible</c>.
/// </remarks>
public static class ReplayPlanner
{
    /// <summary>Plans a replay of <paramref name="originalRunId"/> from <paramref name="fromStep"/>.</summary>
    /// <param name="definition">The definition version the original ran (the replay pins the same one).</param>
    /// <param name="fromStep">The first step to execute again; must be a step of <paramref name="definition"/>.</param>
    /// <param name="originalRunId">The run being replayed; reused steps are taken from it.</param>
    /// <param name="original">Where each step of the original ended; steps missing from it are taken as not run.</param>
    /// <param name="sideEffectOf">The side effect of a step (see <see cref="SideEffectOf"/>).</param>
    /// <param name="rerunIrreversible">The caller allows completed irreversible steps to run again.</param>
    /// <param name="gates">For approval steps: whether the original decision may be reused, and why (see <see cref="ApprovalReuse"/>); a gate missing here asks again.</param>
    /// <exception cref="ArgumentException"><paramref name="fromStep"/> is not a step of the definition.</exception>
    public static ReplayPlan Plan(
        WorkflowDefinition definition,
        string fromStep,
        string originalRunId,
        IReadOnlyDictionary<string, StepProgress> original,
        Func<StepDefinition, SideEffect> sideEffectOf,
        bool rerunIrreversible,
        IReadOnlyDictionary<string, ApprovalReuse>? gates = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(sideEffectOf);
        var downstream = Downstream(definition, fromStep);
        var steps = new List<ReplayStep>();
        var refused = new List<string>();
        var reuse = new Dictionary<string, ReusedStep>(StringComparer.Ordinal);
        foreach (var step in definition.Steps)
        {
            var sideEffect = sideEffectOf(step);
            var recorded = original.GetValueOrDefault(step.Id);
            var finished = recorded?.Status is StepStatuses.Completed or StepStatuses.Skipped;
            var gate = step.Type == StepTypes.Approval && recorded?.Status == StepStatuses.Completed
                ? gates?.GetValueOrDefault(step.Id) ?? new ApprovalReuse(false, "asks again: the original decision has no approval record to compare")
                : null;
            if (finished && !downstream.Contains(step.Id) && gate?.Reusable != false)
            {
                reuse[step.Id] = new ReusedStep(originalRunId, recorded!.Status, recorded.Attempts, recorded.StartedAt, recorded.CompletedAt);
                steps.Add(new ReplayStep(step.Id, ReplayStep.Reuse, sideEffect, gate?.Note));
                continue;
            }

            var note = step.Type != StepTypes.Approval ? null
                : downstream.Contains(step.Id) ? "asks again: the gate is at or after the step the replay starts from"
                : gate?.Note ?? "asks again: the gate was not approved in the original run";
            steps.Add(new ReplayStep(step.Id, ReplayStep.Run, sideEffect, note));
            if (!rerunIrreversible && sideEffect == SideEffect.Irreversible && recorded?.Status == StepStatuses.Completed)
            {
                refused.Add(step.Id);
            }
        }

        return new ReplayPlan(steps, refused, reuse);
    }

    /// <summary><paramref name="fromStep"/> and every step that depends on it, directly or transitively.</summary>
    /// <exception cref="ArgumentException"><paramref name="fromStep"/> is not a step of the definition.</exception>
    public static IReadOnlySet<string> Downstream(WorkflowDefinition definition, string fromStep)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (!definition.Steps.Any(s => s.Id == fromStep))
        {
            throw new ArgumentException($"The workflow has no step '{fromStep}'.", nameof(fromStep));
        }

        var dependants = definition.Steps
            .SelectMany(s => s.Dependencies.Select(d => (Dependency: d, Dependant: s.Id)))
            .ToLookup(e => e.Dependency, e => e.Dependant, StringComparer.Ordinal);
        var found = new HashSet<string>(StringComparer.Ordinal) { fromStep };
        var queue = new Queue<string>([fromStep]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var dependant in dependants[current])
            {
                if (found.Add(dependant))
                {
                    queue.Enqueue(dependant);
                }
            }
        }

        return found;
    }

    /// <summary>
    /// A step's side effect: its own <c>sideEffect</c> field, else what its connector declares for its arguments; built-in
    /// types only read, and a connector that is no longer registered counts as irreversible (nothing is known of it).
    /// </summary>
    public static SideEffect SideEffectOf(StepDefinition step, ConnectorCatalog connectors)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(connectors);
        if (step.SideEffect is { } declared)
        {
            return declared;
        }

        if (step.Connector is not { } name)
        {
            return SideEffect.Read;
        }

        return connectors.TryGet(name, out var connector)
            ? connector.GetSideEffect(step.With ?? new JsonObject())
            : SideEffect.Irreversible;
    }
}
