using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>The orchestrator's bookkeeping of every step's progress, and which steps are ready to go.</summary>
internal sealed class StepTracker(WorkflowDefinition definition)
{
    private readonly Dictionary<string, StepProgress> _steps = definition.Steps.ToDictionary(
        s => s.Id, _ => new StepProgress(StepStatuses.Pending, 0, null, null, null, null), StringComparer.Ordinal);

    public IReadOnlyDictionary<string, StepProgress> Steps => _steps;

    /// <summary>The small outputs completed attempts reported, for the steps that read them.</summary>
    public ReceivedOutputs Outputs { get; } = new();

    public StepProgress this[string stepId]
    {
        get => _steps[stepId];
        set => _steps[stepId] = value;
    }

    /// <summary>Pending steps whose dependencies have all finished, in definition order.</summary>
    public IEnumerable<StepDefinition> Ready() =>
        definition.Steps.Where(s => _steps[s.Id].Status == StepStatuses.Pending
            && s.Dependencies.All(d => StepStatuses.IsFinal(_steps[d].Status))).ToList();

    /// <summary>True when a dependency was skipped or cancelled: the step is skipped too.</summary>
    public bool MustSkip(StepDefinition step) =>
        step.Dependencies.Any(d => _steps[d].Status is StepStatuses.Skipped or StepStatuses.Cancelled);

    /// <summary>Marks every step that has not finished as cancelled.</summary>
    public void CancelUnfinished(DateTimeOffset now)
    {
        foreach (var (id, step) in _steps.ToList())
        {
            if (!StepStatuses.IsFinal(step.Status))
            {
                _steps[id] = step with { Status = StepStatuses.Cancelled, CompletedAt = now };
            }
        }
    }
}
