using Microsoft.Extensions.Options;

namespace Ratify.Functions.Hosting;

/// <summary>Fails start-up with the message that names the storage setting to fix.</summary>
internal sealed class StorageConnectionOptionsValidation : IValidateOptions<StorageConnectionOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageConnectionOptions options) =>
        options.Error is { } error ? ValidateOptionsResult.Fail(error) : ValidateOptionsResult.Success;
}
