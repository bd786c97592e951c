using Microsoft.Extensions.Logging;
using Ratify.Connectors;
using Ratify.Functions.Triggers;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>What the inbound webhook endpoints use, resolved once as a service.</summary>
public sealed class HookDependencies(
    WorkflowStore workflows,
    TriggeredRunLauncher launcher,
    ISecretStore secrets,
    ExpressionEngine expressions,
    TimeProvider time,
    ILoggerFactory loggers)
{
    public WorkflowStore Workflows { get; } = workflows;

    public TriggeredRunLauncher Launcher { get; } = launcher;

    public ISecretStore Secrets { get; } = secrets;

    public ExpressionEngine Expressions { get; } = expressions;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = loggers.CreateLogger(typeof(HooksEndpoints));
}
