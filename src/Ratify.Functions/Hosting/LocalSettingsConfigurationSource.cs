using Microsoft.Extensions.Configuration;

namespace Ratify.Functions.Hosting;

/// <summary>Reads the <c>Values</c> of a Functions <c>local.settings.json</c> as configuration (<c>A__B</c> becomes <c>A:B</c>).</summary>
public sealed class LocalSettingsConfigurationSource : FileConfigurationSource
{
    /// <inheritdoc />
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LocalSettingsConfigurationProvider(this);
    }
}
