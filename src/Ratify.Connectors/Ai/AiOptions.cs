namespace Ratify.Connectors.Ai;

/// <summary>Settings of the AI connector (configuration section <c>Ratify:Ai</c>).</summary>
public sealed class AiOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Ratify:Ai";

    /// <summary>Prices by model name, used for <c>budgetCents</c> and the recorded spend. Default: none (no cost recorded).</summary>
    public Dictionary<string, AiModelPrice> Prices { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The price of <paramref name="model"/>, or null when none is configured.</summary>
    public AiModelPrice? PriceOf(string model) => Prices.TryGetValue(model, out var price) ? price : null;
}
