namespace Ratify.Functions.Workflows;

/// <summary>The built-in step types (a step names either one of these or a connector).</summary>
public static class StepTypes
{
    /// <summary>The output is the step's rendered <c>with</c> object.</summary>
    public const string Transform = "transform";

    /// <summary>A durable timer of <c>with.duration</c> (ISO 8601).</summary>
    public const string Delay = "delay";

    /// <summary>An approval gate.</summary>
    public const string Approval = "approval";

    /// <summary>Every built-in type.</summary>
    public static IReadOnlyList<string> All { get; } = [Transform, Delay, Approval];
}
