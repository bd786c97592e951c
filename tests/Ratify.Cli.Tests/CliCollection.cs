namespace Ratify.Cli.Tests;

/// <summary>Every CLI test class shares one Azurite and one host.</summary>
[CollectionDefinition(Name)]
public sealed class CliCollection : ICollectionFixture<CliHostFixture>
{
    public const string Name = "cli";
}
