namespace Ratify.Functions.Security;

/// <summary>Names used by the API key authentication scheme.</summary>
public static class ApiKeyAuthenticationDefaults
{
    /// <summary>The authentication scheme name (and the OpenAPI security scheme name).</summary>
    public const string Scheme = "Bearer";
}
