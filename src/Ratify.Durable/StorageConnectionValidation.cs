using Microsoft.Extensions.Options;

namespace Ratify.Durable;

/// <summary>Fails start-up with the message that names the storage setting to fix.</summary>
internal sealed class StorageConnectionValidation : IValidateOptions<DurableTaskOptions>
{
    // Code that set a connection after configuration was read (UseAzureStorage) makes the settings' error moot.
    public ValidateOptionsResult Validate(string? name, DurableTaskOptions options) =>
        options is { StorageConnectionError: { } error, StorageConnectionString: null, StorageConnection: null }
            ? ValidateOptionsResult.Fail(error)
            : ValidateOptionsResult.Success;
}
