using System.Text.Json.Nodes;
using Ratify.Connectors.Ai;

namespace Ratify.Connectors.Tests.Ai;

public sealed class AiBudgetTests
{
    private static readonly AiModelPrice Price = new() { InputCentsPer1KTokens = 0.5m, OutputCentsPer1KTokens = 1.5m };

    [Fact]
    public void EstimatePromptTokens_StringAndPartContents_CountsFourCharactersPerToken()
    {
        var messages = JsonNode.Parse("""[{"role": "user", "content": "12345678"}, {"role": "user", "content": "1234"}]""")!.AsArray();

        Assert.Equal(3, AiBudget.EstimatePromptTokens(messages, null));
    }

    [Fact]
    public void Cost_TokensAndPrice_IsInCents() =>
        Assert.Equal(3.5m, AiBudget.Cost(Price, 1000, 2000));

    [Fact]
    public void AffordableCompletionTokens_RemainingBudget_IsConvertedToTokens() =>
        Assert.Equal(1966, AiBudget.AffordableCompletionTokens(Price, 100, 3m));

    [Fact]
    public void AffordableCompletionTokens_PromptAloneOverBudget_IsZero() =>
        Assert.Equal(0, AiBudget.AffordableCompletionTokens(Price, 10_000, 1m));

    [Fact]
    public void AffordableCompletionTokens_FreeOutput_IsUnlimited() =>
        Assert.Null(AiBudget.AffordableCompletionTokens(new AiModelPrice { InputCentsPer1KTokens = 1 }, 10, 1m));
}
