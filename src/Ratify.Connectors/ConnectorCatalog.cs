using System.Diagnostics.CodeAnalysis;

namespace Ratify.Connectors;

/// <summary>Every registered connector by its case-sensitive name: the built-in ones and any custom <see cref="IConnector"/> registered through DI.</summary>
/// <remarks>When two connectors share a name, the one registered last wins, so an application can replace a built-in connector.</remarks>
public sealed class ConnectorCatalog
{
    private readonly Dictionary<string, IConnector> _connectors = new(StringComparer.Ordinal);

    /// <summary>Creates the catalog from the connectors registered in DI.</summary>
    public ConnectorCatalog(IEnumerable<IConnector> connectors)
    {
        foreach (var connector in connectors)
        {
            _connectors[connector.Name] = connector;
        }
    }

    /// <summary>The names of all connectors, sorted.</summary>
    public IReadOnlyList<string> Names => [.. _connectors.Keys.Order(StringComparer.Ordinal)];

    /// <summary>Finds the connector called <paramref name="name"/>.</summary>
    public bool TryGet(string name, [NotNullWhen(true)] out IConnector? connector) => _connectors.TryGetValue(name, out connector);

    /// <summary>The connector called <paramref name="name"/>, or null when there is none.</summary>
    public IConnector? Find(string name) => _connectors.GetValueOrDefault(name);

    /// <summary>The connector called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No connector has that name.</exception>
    public IConnector Get(string name) => Find(name)
        ?? throw new KeyNotFoundException($"No connector is named '{name}'; known connectors: {string.Join(", ", Names)}");
}
