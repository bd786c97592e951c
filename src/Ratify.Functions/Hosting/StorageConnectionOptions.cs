using Ratify.Durable;

namespace Ratify.Functions.Hosting;

/// <summary>
/// The storage account of the host, from <c>AzureWebJobsStorage</c> as in Functions: a connection string, or an
/// identity-based connection (<c>AzureWebJobsStorage__accountName</c> or the three service URIs, <c>__credential</c>, <c>__clientId</c>).
/// </summary>
public sealed class StorageConnectionOptions
{
    /// <summary>The configuration key (environment variable of the same name).</summary>
    public const string ConfigurationKey = StorageConnectionSettings.DefaultName;

    /// <summary>The Azurite development account on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>How the app's clients reach the account. Default: <see cref="StorageConnection.Development"/> (Azurite).</summary>
    public StorageConnection Connection { get; set; } = StorageConnection.Development;

    /// <summary>Why the settings could not be read, reported when the options are validated.</summary>
    internal string? Error { get; set; }
}
