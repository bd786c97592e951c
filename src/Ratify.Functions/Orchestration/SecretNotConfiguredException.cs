namespace Ratify.Functions.Orchestration;

/// <summary>A step read <c>{{secrets.NAME}}</c> where it may not (outside connector arguments), or a secret that is not configured.</summary>
public sealed class SecretNotConfiguredException : Exception
{
    /// <summary>Creates the exception for the secret <paramref name="name"/>.</summary>
    public SecretNotConfiguredException(string name, bool allowedHere)
        : base(allowedHere
            ? $"The secret '{name}' is not configured: set Ratify__Secrets__{name} (configuration key Ratify:Secrets:{name})."
            : $"The secret '{name}' is read outside a connector step's arguments, where secrets are not available.")
    {
        Name = name;
        AllowedHere = allowedHere;
    }

    /// <summary>The secret's name (never its value).</summary>
    public string Name { get; }

    /// <summary>Whether the place that read it may read secrets (then the secret is just not configured).</summary>
    public bool AllowedHere { get; }

    /// <summary>The step error code: <c>secret_not_configured</c>, or <c>secret_not_allowed</c>.</summary>
    public string Code => AllowedHere ? "secret_not_configured" : "secret_not_allowed";
}
