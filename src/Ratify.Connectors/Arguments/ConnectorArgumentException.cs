namespace Ratify.Connectors.Arguments;

/// <summary>A rendered argument that cannot be used; the call fails with <c>invalid_arguments</c>.</summary>
internal sealed class ConnectorArgumentException(string pointer, string message) : Exception(message)
{
    /// <summary>The JSON pointer of the offending argument, relative to <c>with</c>.</summary>
    public string Pointer { get; } = pointer;
}
