using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Ratify.Connectors.Ai;
using Ratify.Connectors.Email;
using Ratify.Connectors.Http;
using Ratify.Connectors.Outbound;
using Ratify.Connectors.Secrets;
using Ratify.Connectors.Slack;
using Ratify.Connectors.Webhook;

namespace Ratify.Connectors;

/// <summary>The entry point of this project: registers the built-in connectors, the catalog, the secret store and the SSRF guard.</summary>
public static class ServiceCollectionExtensions
{
    /// <summary>Adds http, webhook, slack, email and ai, the <see cref="ConnectorCatalog"/>, <see cref="ISecretStore"/> and the outbound client.</summary>
    /// <remarks>Register custom connectors with <c>services.AddSingleton&lt;IConnector, MyConnector&gt;()</c>, before or after this call.</remarks>
    public static IServiceCollection AddRatifyConnectors(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<OutboundOptions>()
            .Bind(configuration.GetSection(OutboundOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboundOptions>, OutboundOptionsValidator>());
        services.AddOptions<SlackOptions>()
            .Bind(configuration.GetSection(SlackOptions.SectionName))
            .Validate(o => Uri.TryCreate(o.ApiBaseUrl, UriKind.Absolute, out _), $"{SlackOptions.SectionName}:ApiBaseUrl must be an absolute URL")
            .ValidateOnStart();
        services.AddOptions<AiOptions>().Bind(configuration.GetSection(AiOptions.SectionName));

        services.TryAddSingleton<ISecretStore>(_ => new ConfigurationSecretStore(configuration));
        services.TryAddSingleton<OutboundGuard>();
        services.TryAddSingleton<OutboundHttpClient>();

        services.AddSingleton<IConnector, HttpConnector>();
        services.AddSingleton<IConnector, WebhookConnector>();
        services.AddSingleton<IConnector, SlackConnector>();
        services.AddSingleton<IConnector, EmailConnector>();
        services.AddSingleton<IConnector, AiConnector>();

        // The catalog sees every IConnector, including those registered after this call.
        services.TryAddSingleton<ConnectorCatalog>();
        return services;
    }
}
