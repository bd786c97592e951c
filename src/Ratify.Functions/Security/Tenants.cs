namespace Ratify.Functions.Security;

/// <summary>Tenant ids: every key, workflow and run belongs to exactly one tenant.</summary>
public static class Tenants
{
    /// <summary>The tenant of the bootstrap admin key.</summary>
    public const string Default = "default";

    /// <summary>The longest tenant id accepted.</summary>
    public const int MaxLength = 64;

    /// <summary>Whether <paramref name="tenantId"/> is 1 to 64 characters of a-z, 0-9, '-' and '_', starting with a letter or digit.</summary>
    /// <remarks>The alphabet keeps tenant ids safe inside table keys, queue messages and URLs without escaping.</remarks>
    public static bool IsValidId(string? tenantId)
    {
        if (string.IsNullOrEmpty(tenantId) || tenantId.Length > MaxLength || !IsLowerLetterOrDigit(tenantId[0]))
        {
            return false;
        }

        foreach (var c in tenantId)
        {
            if (!IsLowerLetterOrDigit(c) && c is not '-' and not '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLowerLetterOrDigit(char c) => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c);
}
