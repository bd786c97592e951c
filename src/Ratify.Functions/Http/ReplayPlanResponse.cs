using Ratify.Functions.Runs;

namespace Ratify.Functions.Http;

/// <summary>The answer to a dry-run replay: every step in definition order, and the steps that would make the replay refused.</summary>
public sealed record ReplayPlanResponse(IReadOnlyList<ReplayPlanStepResponse> Steps, IReadOnlyList<string> WouldRefuse)
{
    /// <summary>The response for <paramref name="plan"/>.</summary>
    public static ReplayPlanResponse From(ReplayPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return new ReplayPlanResponse(
            [.. plan.Steps.Select(s => new ReplayPlanStepResponse(s.Id, s.Action, s.SideEffect.ToString().ToLowerInvariant(), s.Note))],
            plan.WouldRefuse);
    }
}
