namespace Ratify.Durable;

/// <summary>Runtime settings, bound from host.json's <c>extensions:durableTask</c> section as in Durable Functions.</summary>
public sealed class DurableTaskOptions
{
    /// <summary>The configuration section these options are read from.</summary>
    public const string SectionName = "extensions:durableTask";

    /// <summary>The task hub: the prefix of every table, queue and container (letters and digits, 3–45). Default "Ratify".</summary>
    public string HubName { get; set; } = "Ratify";

    /// <summary>A storage connection string; when set it wins over <see cref="StorageConnection"/>. Default: none.</summary>
    public string? StorageConnectionString { get; set; }

    /// <summary>
    /// The storage account: a connection string or an identity-based connection. Default: read from the
    /// <c>AzureWebJobsStorage</c> settings (see <see cref="StorageConnectionSettings"/>), else Azurite.
    /// </summary>
    public StorageConnection? StorageConnection { get; set; }

    /// <summary>Why the <c>AzureWebJobsStorage</c> settings could not be read, reported when the options are validated.</summary>
    internal string? StorageConnectionError { get; set; }

    /// <summary>The connection the backend uses: the connection string when one is set, else <see cref="StorageConnection"/>.</summary>
    internal StorageConnection EffectiveStorageConnection =>
        StorageConnectionString is { Length: > 0 } connectionString
            ? StorageConnection.FromConnectionString(connectionString)
            : StorageConnection ?? StorageConnection.Development;

    /// <summary>Activities one host runs at once. Default 32.</summary>
    public int MaxConcurrentActivityFunctions { get; set; } = 32;

    /// <summary>Orchestration episodes one host runs at once. Default 32.</summary>
    public int MaxConcurrentOrchestratorFunctions { get; set; } = 32;

    /// <summary>Azure Storage backend settings.</summary>
    public AzureStorageOptions StorageProvider { get; set; } = new();
}
