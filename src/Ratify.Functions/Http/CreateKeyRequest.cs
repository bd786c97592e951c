using Ratify.Functions.Security;

namespace Ratify.Functions.Http;

/// <summary>The body of <c>POST /v1/keys</c>: a name, the scopes, and (bootstrap key only) another tenant.</summary>
public sealed record CreateKeyRequest(string? Name, IReadOnlyList<string?>? Scopes, string? TenantId = null)
{
    /// <summary>The longest key name accepted.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Every error in the request, each with its JSON pointer.</summary>
    public IReadOnlyList<ProblemError> Validate()
    {
        var errors = new List<ProblemError>();
        if (string.IsNullOrWhiteSpace(Name))
        {
            errors.Add(new("/name", "A name is required."));
        }
        else if (Name.Trim().Length > MaxNameLength)
        {
            errors.Add(new("/name", $"The name is longer than {MaxNameLength} characters."));
        }

        if (Scopes is null || Scopes.Count == 0)
        {
            errors.Add(new("/scopes", "At least one scope is required: " + string.Join(", ", RatifyScopes.All) + "."));
        }
        else
        {
            for (var i = 0; i < Scopes.Count; i++)
            {
                if (!RatifyScopes.IsKnown(Scopes[i]))
                {
                    errors.Add(new($"/scopes/{i}", $"Unknown scope '{Scopes[i]}': use one of {string.Join(", ", RatifyScopes.All)}."));
                }
            }
        }

        if (TenantId is not null && !Tenants.IsValidId(TenantId))
        {
            errors.Add(new("/tenantId", $"A tenant id is 1 to {Tenants.MaxLength} characters of a-z, 0-9, '-' and '_', starting with a letter or digit."));
        }

        return errors;
    }
}
