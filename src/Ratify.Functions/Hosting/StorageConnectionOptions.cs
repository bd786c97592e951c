namespace Ratify.Functions.Hosting;

/// <summary>The storage account of the host, from <c>AzureWebJobsStorage</c> as in Functions.</summary>
public sealed class StorageConnectionOptions
{
    /// <summary>The configuration key (environment variable of the same name).</summary>
    public const string ConfigurationKey = "AzureWebJobsStorage";

    /// <summary>The Azurite development account on its default ports.</summary>
    public const string DevelopmentStorage = "UseDevelopmentStorage=true";

    /// <summary>The storage connection string. Default: <see cref="DevelopmentStorage"/>.</summary>
    public string ConnectionString { get; set; } = DevelopmentStorage;
}
