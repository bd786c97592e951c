using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Ratify.Functions.Approvals;

/// <summary>Registers approval gates: the store, link signing, resolution and the redelivery of undelivered decisions.</summary>
public static partial class ApprovalsServiceCollectionExtensions
{
    /// <summary>Adds the approvals services and binds <see cref="ApprovalOptions"/> from <c>Ratify:Approvals</c>, validated on start.</summary>
    public static IServiceCollection AddRatifyApprovals(this IServiceCollection services)
    {
        services.AddOptions<ApprovalOptions>()
            .BindConfiguration(ApprovalOptions.SectionName)
            .Validate(o => o.SigningKeys.All(k => KeyId().IsMatch(k.Key)),
                "Ratify:Approvals:SigningKeys: a key id is 1 to 32 letters, digits, '-' or '_' (e.g. Ratify:Approvals:SigningKeys:k2026a).")
            .Validate(o => o.SigningKeys.Values.All(IsStrongKey),
                "Ratify:Approvals:SigningKeys: every key must be base64 of at least 32 random bytes (e.g. openssl rand -base64 32).")
            .Validate(o => o.SigningKeys.Count <= 1 || (o.SigningKeyId is not null && o.SigningKeys.ContainsKey(o.SigningKeyId)),
                "Ratify:Approvals:SigningKeyId must name one of Ratify:Approvals:SigningKeys when several keys are configured.")
            .Validate(o => o.SigningKeyId is null || o.SigningKeys.ContainsKey(o.SigningKeyId),
                "Ratify:Approvals:SigningKeyId names no key of Ratify:Approvals:SigningKeys.")
            .Validate(o => Uri.TryCreate(o.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https",
                "Ratify:Approvals:PublicBaseUrl must be an absolute http or https URL, the address approvers reach this host at.")
            .Validate(o => o.LinkLifetime > TimeSpan.Zero && o.RedeliveryInterval > TimeSpan.Zero,
                "Ratify:Approvals:LinkLifetime and Ratify:Approvals:RedeliveryInterval must be positive durations such as 7.00:00:00.")
            .ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ApprovalStore>();
        services.TryAddSingleton<ApprovalLinkSigner>();
        services.TryAddSingleton<ApprovalLinkFactory>();
        services.TryAddSingleton<ApprovalResolver>();
        services.TryAddSingleton<ApprovalAuditor>();
        services.TryAddSingleton<ApprovalPageRenderer>();
        services.AddHostedService<ApprovalRedeliveryService>();
        return services;
    }

    private static bool IsStrongKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out var length) && length >= 32;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyId();
}
