using System.Diagnostics.CodeAnalysis;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Ratify.Durable;

/// <summary>Reads a <see cref="StorageConnection"/> from configuration the way Functions reads <c>AzureWebJobsStorage</c>.</summary>
/// <remarks>
/// The setting's own value is a connection string. Without one, its children make an identity-based connection:
/// <c>__accountName</c> (the public cloud's endpoints) or <c>__tableServiceUri</c>, <c>__queueServiceUri</c> and
/// <c>__blobServiceUri</c> (each wins over the account name), with <c>__credential</c> = <c>managedidentity</c> and an
/// optional <c>__clientId</c> or <c>__managedIdentityResourceId</c> for a user-assigned identity. Without
/// <c>__credential</c> the connection uses <see cref="DefaultAzureCredential"/> (for a developer signed in with the Azure
/// CLI). Nothing set at all means Azurite.
/// </remarks>
public static class StorageConnectionSettings
{
    /// <summary>The Functions host's storage setting.</summary>
    public const string DefaultName = "AzureWebJobsStorage";

    /// <summary>The only <c>__credential</c> value, as in Functions.</summary>
    public const string ManagedIdentity = "managedidentity";

    /// <summary>Reads the connection named <paramref name="name"/>; on failure <paramref name="error"/> names the setting to fix.</summary>
    public static bool TryRead(
        IConfiguration configuration,
        string name,
        [NotNullWhen(true)] out StorageConnection? connection,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(name);
        connection = null;
        if (section.Value is { Length: > 0 } connectionString)
        {
            error = IsConnectionString(connectionString)
                ? null
                : $"{name} is not a storage connection string: set {name} to the account's connection string, or to " +
                  $"UseDevelopmentStorage=true for Azurite on its default ports, or remove it and set {name}__accountName for an " +
                  "identity-based connection.";
            connection = error is null ? StorageConnection.FromConnectionString(connectionString) : null;
            return error is null;
        }

        if (!section.GetChildren().Any(c => c.Value is { Length: > 0 }))
        {
            connection = StorageConnection.Development;
            error = null;
            return true;
        }

        return TryReadIdentityBased(section, name, out connection, out error);
    }

    private static bool TryReadIdentityBased(
        IConfigurationSection section,
        string name,
        [NotNullWhen(true)] out StorageConnection? connection,
        [NotNullWhen(false)] out string? error)
    {
        connection = null;
        var accountName = Setting(section, "accountName");
        if (accountName is not null && !IsAccountName(accountName))
        {
            error = $"{name}__accountName must be a storage account name: 3 to 24 lower-case letters and digits.";
            return false;
        }

        Uri? table = null, queue = null, blob = null;
        var problems = new List<string>();
        foreach (var (key, service, assign) in new (string, string, Action<Uri>)[]
                 {
                     ("tableServiceUri", "table", u => table = u),
                     ("queueServiceUri", "queue", u => queue = u),
                     ("blobServiceUri", "blob", u => blob = u),
                 })
        {
            var value = Setting(section, key);
            if (value is null && accountName is not null)
            {
                value = $"https://{accountName}.{service}.core.windows.net";
            }

            if (value is null)
            {
                problems.Add($"{name}__{key} is missing");
            }
            else if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
            {
                // Bearer tokens are only ever sent over TLS.
                problems.Add($"{name}__{key} must be an absolute https URI");
            }
            else
            {
                assign(uri);
            }
        }

        if (problems.Count > 0)
        {
            error = $"The identity-based storage connection {name} is incomplete: {string.Join("; ", problems)}. Set {name}__accountName, " +
                    $"or all of {name}__tableServiceUri, {name}__queueServiceUri and {name}__blobServiceUri.";
            return false;
        }

        if (!TryCreateCredential(section, name, out var credential, out error))
        {
            return false;
        }

        connection = StorageConnection.FromServiceUris(table!, queue!, blob!, credential);
        return true;
    }

    private static bool TryCreateCredential(
        IConfigurationSection section,
        string name,
        [NotNullWhen(true)] out TokenCredential? credential,
        [NotNullWhen(false)] out string? error)
    {
        credential = null;
        var kind = Setting(section, "credential");
        var clientId = Setting(section, "clientId");
        var resourceId = Setting(section, "managedIdentityResourceId");
        if (clientId is not null && resourceId is not null)
        {
            error = $"Set either {name}__clientId or {name}__managedIdentityResourceId, not both.";
            return false;
        }

        if (kind is null)
        {
            if (resourceId is not null)
            {
                error = $"{name}__managedIdentityResourceId needs {name}__credential={ManagedIdentity}.";
                return false;
            }

            credential = new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = clientId });
            error = null;
            return true;
        }

        if (!string.Equals(kind, ManagedIdentity, StringComparison.OrdinalIgnoreCase))
        {
            error = $"{name}__credential must be '{ManagedIdentity}', or unset to use the default Azure credential chain.";
            return false;
        }

        if (resourceId is not null && !ResourceIdentifier.TryParse(resourceId, out _))
        {
            error = $"{name}__managedIdentityResourceId must be the resource id of a user-assigned managed identity.";
            return false;
        }

        var identity = clientId is not null ? ManagedIdentityId.FromUserAssignedClientId(clientId)
            : resourceId is not null ? ManagedIdentityId.FromUserAssignedResourceId(new ResourceIdentifier(resourceId))
            : ManagedIdentityId.SystemAssigned;
        credential = new ManagedIdentityCredential(identity);
        error = null;
        return true;
    }

    private static string? Setting(IConfigurationSection section, string key) =>
        section[key] is { Length: > 0 } value ? value.Trim() : null;

    private static bool IsAccountName(string value) =>
        value.Length is >= 3 and <= 24 && value.All(c => char.IsAsciiDigit(c) || char.IsAsciiLetterLower(c));

    private static bool IsConnectionString(string connectionString)
    {
        try
        {
            // The clients parse the string when they are made; nothing goes over the network here.
            _ = new TableServiceClient(connectionString);
            _ = new QueueServiceClient(connectionString);
            _ = new BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
