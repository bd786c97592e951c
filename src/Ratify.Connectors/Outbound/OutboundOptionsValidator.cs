using Microsoft.Extensions.Options;

namespace Ratify.Connectors.Outbound;

/// <summary>Checks the outbound options on start, naming the configuration key and the entry to fix.</summary>
internal sealed class OutboundOptionsValidator : IValidateOptions<OutboundOptions>
{
    public ValidateOptionsResult Validate(string? name, OutboundOptions options)
    {
        var errors = new List<string>();
        try
        {
            AllowList.Parse(options.AllowedHosts);
        }
        catch (FormatException e)
        {
            errors.Add(e.Message);
        }

        if (options.MaxRedirects is < 0 or > 20)
        {
            errors.Add($"{OutboundOptions.SectionName}:MaxRedirects must be between 0 and 20");
        }

        if (options.MaxResponseBytes <= 0)
        {
            errors.Add($"{OutboundOptions.SectionName}:MaxResponseBytes must be positive");
        }

        if (options.ConnectTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{OutboundOptions.SectionName}:ConnectTimeout must be positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
