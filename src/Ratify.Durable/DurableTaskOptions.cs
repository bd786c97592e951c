namespace Ratify.Durable;

/// <summary>Runtime settings, bound from host.json's <c>extensions:durableTask</c> section as in Durable Functions.</summary>
public sealed class DurableTaskOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "extensions:durableTask";

    /// <summary>The task hub: the prefix of every table, queue and container (letters and digits, 3–45). Default "Ratify".</summary>
    public string HubName { get; set; } = "Ratify";

    /// <summary>The storage connection string. Default: the <c>AzureWebJobsStorage</c> setting, else Azurite.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>Activities one host runs at once. Default 32.</summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 32;

    /// <summary>Orchestration episodes one host runs at once. Default 32.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 32;

    /// <summary>Azure Storage backend settings.</summary>
    public AzureStorageOptions StorageProvider { get; set; } = new();
}
