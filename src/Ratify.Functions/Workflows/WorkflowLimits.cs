namespace Ratify.Functions.Workflows;

/// <summary>The bounds a workflow definition must stay within; validation reports each one that is crossed.</summary>
public static class WorkflowLimits
{
    /// <summary>Largest definition, in UTF-8 bytes: 256 KB.</summary>
    public const int MaxDefinitionBytes = 256 * 1024;

    /// <summary>Most steps in one workflow: 100.</summary>
    public const int MaxSteps = 100;

    /// <summary>Most entries in one step's <c>dependsOn</c>: 20.</summary>
    public const int MaxDependencies = 20;

    /// <summary>Most artifacts one step declares: 20.</summary>
    public const int MaxArtifactsPerStep = 20;

    /// <summary>Longest single expression (one <c>{{ … }}</c> or one <c>if</c>): 1,000 characters.</summary>
    public const int MaxExpressionLength = 1000;

    /// <summary>Longest workflow name: 200 characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>Longest workflow description: 4,000 characters.</summary>
    public const int MaxDescriptionLength = 4000;

    /// <summary>Most attempts a retry policy may ask for (the first call included): 20.</summary>
    public const int MaxRetryAttempts = 20;

    /// <summary>Largest retry backoff coefficient: 10.</summary>
    public const double MaxBackoffCoefficient = 10;

    /// <summary>Longest retry interval (initial or maximum): 1 day.</summary>
    public static readonly TimeSpan MaxRetryInterval = TimeSpan.FromDays(1);

    /// <summary>Longest step timeout: 30 days.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    /// <summary>Longest <c>delay</c> step: 366 days.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromDays(366);
}
