using Microsoft.DurableTask.Converters;
using Microsoft.DurableTask.Worker;

namespace Ratify.Durable.Worker;

/// <summary>The worker's orchestrators and activities and the converter of their payloads, shared with the dispatchers.</summary>
/// <remarks>
/// The SDK hands the task factory to the worker's constructor only, so the worker binds it here before it starts
/// and nothing dispatches before that.
/// </remarks>
internal sealed class RegisteredTasks
{
    private IDurableTaskFactory? _factory;

    public IDurableTaskFactory Factory => _factory ?? throw new InvalidOperationException("No Durable Task worker was built; register one with AddDurableTaskWorker(b => b.UseAzureStorage()).");

    public DataConverter Converter { get; private set; } = JsonDataConverter.Default;

    public void Bind(IDurableTaskFactory factory, DataConverter converter)
    {
        _factory = factory;
        Converter = converter;
    }

    public ITaskOrchestrator? CreateOrchestrator(string name, IServiceProvider services) =>
        Factory.TryCreateOrchestrator(new TaskName(name), services, out var orchestrator) ? orchestrator : null;

    public ITaskActivity? CreateActivity(string name, IServiceProvider services) =>
        Factory.TryCreateActivity(new TaskName(name), services, out var activity) ? activity : null;
}
