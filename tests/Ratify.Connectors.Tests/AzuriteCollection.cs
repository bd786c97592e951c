using Ratify.Testing;

namespace Ratify.Connectors.Tests;

/// <summary>Every test class in this collection shares one Azurite; each test uses its own task hub.</summary>
[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    /// <summary>The collection name to put on test classes.</summary>
    public const string Name = "azurite";
}
