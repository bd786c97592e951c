namespace Ratify.Connectors.Ai;

/// <summary>What one model costs, in cents per thousand tokens (configuration <c>Ratify:Ai:Prices:{model}</c>).</summary>
public sealed class AiModelPrice
{
    /// <summary>Cents per 1,000 prompt tokens. Default: 0.</summary>
    public decimal InputCentsPer1KTokens { get; set; }

    /// <summary>Cents per 1,000 completion tokens. Default: 0.</summary>
    public decimal OutputCentsPer1KTokens { get; set; }
}
