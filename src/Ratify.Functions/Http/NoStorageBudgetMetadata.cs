namespace Ratify.Functions.Http;

/// <summary>Marks an endpoint that does no storage work (the API document, its reference page): no storage deadline applies.</summary>
internal sealed class NoStorageBudgetMetadata
{
    public static readonly NoStorageBudgetMetadata Instance = new();
}
