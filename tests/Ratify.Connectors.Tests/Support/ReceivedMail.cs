using MimeKit;

namespace Ratify.Connectors.Tests.Support;

/// <summary>One message the test SMTP server accepted: envelope, credentials used and the raw data.</summary>
public sealed record ReceivedMail(string MailFrom, IReadOnlyList<string> Recipients, string? User, string? Password, byte[] Data)
{
    /// <summary>The raw data parsed with MimeKit.</summary>
    public MimeMessage Parse() => MimeMessage.Load(new MemoryStream(Data));
}
