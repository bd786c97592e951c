namespace Ratify.Connectors.Tests.Support;

/// <summary>How the test SMTP server answers: which credentials it accepts and which replies it forces.</summary>
public sealed class SmtpBehaviour
{
    /// <summary>When set, AUTH succeeds only with this user name and password.</summary>
    public (string User, string Password)? Credentials { get; init; }

    /// <summary>Recipients refused with 550.</summary>
    public IReadOnlySet<string> RejectedRecipients { get; init; } = new HashSet<string>();

    /// <summary>When set, the end of DATA is answered with this reply instead of 250 (e.g. "451 4.3.0 try later").</summary>
    public string? DataReply { get; init; }
}
