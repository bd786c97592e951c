namespace Ratify.Functions.Workflows;

/// <summary>The names an expression may start from; everything else is refused when it is parsed.</summary>
[Flags]
public enum ExpressionRoots
{
    /// <summary>No root at all: only literals.</summary>
    None = 0,

    /// <summary><c>input</c>: the run's input.</summary>
    Input = 1,

    /// <summary><c>steps.ID.output</c>: the outputs of upstream steps.</summary>
    Steps = 2,

    /// <summary><c>run</c>: <c>id</c>, <c>workflowId</c>, <c>startedAt</c>.</summary>
    Run = 4,

    /// <summary><c>secrets.NAME</c>: one configured secret.</summary>
    Secrets = 8,

    /// <summary><c>output</c>: the step's own output (only in its <c>artifacts[].value</c>).</summary>
    Output = 16,

    /// <summary><c>body</c>: the JSON body of an inbound webhook (only in a webhook trigger's <c>input</c>).</summary>
    Body = 32,

    /// <summary>The roots of a built-in step's <c>with</c> and of every <c>if</c>: everything but secrets.</summary>
    NoSecrets = Input | Steps | Run,

    /// <summary>The roots of a connector step's <c>with</c>: secrets are for connector arguments only.</summary>
    Standard = NoSecrets | Secrets,

    /// <summary>Every root of a step.</summary>
    All = Standard | Output,
}
