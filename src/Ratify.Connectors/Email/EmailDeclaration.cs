using MimeKit;
using Ratify.Connectors.Declarations;

namespace Ratify.Connectors.Email;

/// <summary>The arguments, output, artifact and side-effect class of the <c>email</c> connector.</summary>
internal static class EmailDeclaration
{
    public static readonly string[] TlsModes = ["none", "starttls", "tls"];

    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly ValueShape Address = ValueShape.Text(
        "an email address", text => MailboxAddress.TryParse(text, out _), pattern: "@");

    private static readonly ValueShape Addresses = ValueShape.Either(
        "an email address or an array of them",
        ValueShape.Text("an email address", EmailMessageFactory.IsAddressList, pattern: "@"),
        ValueShape.ArrayOf(ValueShape.Text("an email address", EmailMessageFactory.IsAddressList, pattern: "@"), expected: "an array of email addresses"));

    private static readonly ValueShape Attachment = ValueShape.ObjectOf("an object {step, name, filename?}", [
        new("step", ValueShape.NonEmptyString, "The id of the step that published the artifact.", Required: true),
        new("name", ValueShape.NonEmptyString, "The artifact's name.", Required: true),
        new("filename", ValueShape.String, "The attachment's file name.", Default: "the artifact name with an extension from its type"),
    ]);

    public static ConnectorDeclaration Value { get; } = new(
        "email",
        "Sends an email over SMTP (MailKit) through the SSRF guard; attachments are read from the run's artifacts.",
        "irreversible: a sent message cannot be recalled (its Message-ID is the same on every attempt, so a receiver may drop repeats).",
        ValueShape.ObjectOf("an object", [
            new("host", ValueShape.NonEmptyString, "The SMTP server's host name or IP.", Required: true),
            new("port", ValueShape.Number(1, 65535, integer: true), "The SMTP port.", Default: "25 with tls none, 587 with starttls, 465 with tls"),
            new("tls", ValueShape.OneOf(TlsModes), "How the connection is secured.", Default: "starttls"),
            new("username", ValueShape.String, "The SMTP user; with it the connector authenticates."),
            new("password", ValueShape.String, "The SMTP password; use {{secrets.NAME}}. Redacted from outputs and logs."),
            new("from", Address, "The sender.", Required: true),
            new("to", Addresses, "The recipients.", Required: true),
            new("cc", Addresses, "The copied recipients."),
            new("subject", ValueShape.NonEmptyString, "The subject.", Required: true),
            new("text", ValueShape.String, "The plain-text body."),
            new("html", ValueShape.String, "The HTML body."),
            new("attachments", ValueShape.ArrayOf(Attachment, expected: "an array of {step, name, filename?}"), "Artifacts of earlier steps to attach."),
            new("timeout", ValueShape.Duration, "How long the whole SMTP exchange may take.", Default: $"{DefaultTimeout.TotalSeconds:0}s"),
        ]),
        ["'text' or 'html' is required.", "'password' needs 'username'."],
        ValueShape.ObjectOf("an object", [
            new("messageId", ValueShape.String, "The Message-ID, the same on every attempt of the step.", Required: true),
            new("from", ValueShape.String, "The sender's address.", Required: true),
            new("to", ValueShape.ArrayOf(ValueShape.String, expected: "an array of strings"), "The recipients' addresses.", Required: true),
            new("cc", ValueShape.ArrayOf(ValueShape.String, expected: "an array of strings"), "The copied recipients' addresses.", Required: true),
            new("subject", ValueShape.String, "The subject.", Required: true),
            new("response", ValueShape.String, "The SMTP server's answer to the message.", Required: true),
        ]),
        [new ArtifactDeclaration("email", "email", "The message as sent (message/rfc822), without credentials.")]);
}
