using System.Net;
using System.Text;
using MimeKit;
using Ratify.Connectors.Tests.Outbound;
using Ratify.Connectors.Tests.Support;

namespace Ratify.Connectors.Tests.Email;

/// <summary>The email connector against a real SMTP receiver on loopback.</summary>
public sealed class EmailConnectorTests : TimedTest
{
    private const string Password = "smtp-pass-4242";

    [Fact]
    public async Task A_message_with_text_html_and_cc_is_delivered_and_kept_as_an_email_artifact()
    {
        await using var smtp = new SmtpReceiver();
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);

        var result = await host.ExecuteAsync("email", Args.Of($$"""
            {"host": "127.0.0.1", "port": {{smtp.Port}}, "tls": "none", "from": "Ratify <ratify@example.com>",
             "to": ["ops@example.com", "Lead <lead@example.com>"], "cc": "audit@example.com", "subject": "Deal 7 approved",
             "text": "Approved.", "html": "<p>Approved.</p>"}
            """), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var mail = await smtp.NextMessageAsync(Timeout);
        Assert.Equal("ratify@example.com", mail.MailFrom);
        Assert.Equal(["ops@example.com", "lead@example.com", "audit@example.com"], mail.Recipients);
        var message = mail.Parse();
        Assert.Equal("Deal 7 approved", message.Subject);
        Assert.Equal("Approved.", message.TextBody?.Trim());
        Assert.Equal("<p>Approved.</p>", message.HtmlBody?.Trim());
        Assert.Equal(message.MessageId, result.Output!["messageId"]!.GetValue<string>());
        Assert.Equal("run1:step1", message.Headers["Idempotency-Key"]);
        Assert.Equal(["ops@example.com", "lead@example.com"], result.Output["to"]!.AsArray().Select(n => n!.GetValue<string>()));

        var artifact = Assert.Single(result.Artifacts);
        Assert.Equal(("email", "email"), (artifact.Name, artifact.Type));
        var stored = MimeMessage.Load(new MemoryStream(artifact.Content.ToArray()));
        Assert.Equal(message.MessageId, stored.MessageId);
        Assert.Equal("Deal 7 approved", stored.Subject);
    }

    [Fact]
    public async Task Credentials_are_used_for_AUTH_and_appear_in_neither_output_nor_artifact()
    {
        await using var smtp = new SmtpReceiver(new SmtpBehaviour { Credentials = ("mailer", Password) });
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry, ("Ratify:Secrets:SMTP_PASSWORD", Password));

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp, $$""", "username": "mailer", "password": "{{Password}}" """)), Timeout);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var mail = await smtp.NextMessageAsync(Timeout);
        Assert.Equal(("mailer", Password), (mail.User, mail.Password));
        Assert.DoesNotContain(Password, result.Output!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, Encoding.UTF8.GetString(result.Artifacts.Single().Content.Span), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_credentials_fail_without_retry_and_without_the_password_in_the_message()
    {
        await using var smtp = new SmtpReceiver(new SmtpBehaviour { Credentials = ("mailer", "other-password") });
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp, $$""", "username": "mailer", "password": "{{Password}}" """)), Timeout);

        Assert.Equal("smtp_auth_failed", result.Failure!.Code);
        Assert.False(result.Failure.Retryable);
        Assert.DoesNotContain(Password, result.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Attachments_are_read_from_the_run_s_artifacts()
    {
        await using var smtp = new SmtpReceiver();
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);
        var artifacts = new InMemoryArtifacts()
            .Add("score", "report", "json", """{"score": 0.93}""")
            .Add("draft", "summary", "markdown", "# Summary");

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp, """
            , "attachments": [{"step": "score", "name": "report"}, {"step": "draft", "name": "summary", "filename": "deal-7.md"}]
            """)), Timeout, artifacts);

        Assert.True(result.Succeeded, result.Failure?.Message);
        var attachments = (await smtp.NextMessageAsync(Timeout)).Parse().Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["report.json", "deal-7.md"], attachments.Select(a => a.FileName));
        Assert.Equal("application/json", attachments[0].ContentType.MimeType);
        using var content = new MemoryStream();
        await attachments[0].Content!.DecodeToAsync(content, Timeout);
        Assert.Equal("""{"score": 0.93}""", Encoding.UTF8.GetString(content.ToArray()));
    }

    [Fact]
    public async Task A_missing_attachment_fails_before_anything_is_sent()
    {
        await using var smtp = new SmtpReceiver();
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp, """, "attachments": [{"step": "nope", "name": "x"}]""")), Timeout);

        Assert.Equal("invalid_arguments", result.Failure!.Code);
        Assert.Contains("nope", result.Failure.Message, StringComparison.Ordinal);
        Assert.False(smtp.TryTakeMessage(out _));
    }

    [Fact]
    public async Task A_permanently_refused_recipient_is_not_retryable()
    {
        await using var smtp = new SmtpReceiver(new SmtpBehaviour { RejectedRecipients = new HashSet<string> { "ops@example.com" } });
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp)), Timeout);

        Assert.Equal("smtp_rejected", result.Failure!.Code);
        Assert.False(result.Failure.Retryable);
        Assert.Equal(550, result.Failure.Details!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_temporary_refusal_is_retryable()
    {
        await using var smtp = new SmtpReceiver(new SmtpBehaviour { DataReply = "451 4.3.0 Try again later" });
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);

        var result = await host.ExecuteAsync("email", Args.Of(Message(smtp)), Timeout);

        Assert.Equal("smtp_rejected", result.Failure!.Code);
        Assert.True(result.Failure.Retryable);
    }

    [Fact]
    public async Task Every_attempt_of_a_step_sends_the_same_Message_Id()
    {
        await using var smtp = new SmtpReceiver();
        await using var host = ConnectorHost.Allowing(smtp.AllowEntry);
        var email = host.Connector("email");

        await email.ExecuteAsync(host.Context(Args.Of(Message(smtp)), attempt: 1), Timeout);
        await email.ExecuteAsync(host.Context(Args.Of(Message(smtp)), attempt: 2), Timeout);

        var first = (await smtp.NextMessageAsync(Timeout)).Parse().MessageId;
        var second = (await smtp.NextMessageAsync(Timeout)).Parse().MessageId;
        Assert.Equal(first, second);
        Assert.EndsWith("@example.com", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_SMTP_host_that_is_not_allowed_is_refused_without_a_connection()
    {
        using var sentinel = new ConnectionSentinel(IPAddress.Loopback);
        await using var host = ConnectorHost.Allowing(null);

        var result = await host.ExecuteAsync("email", Args.Of($$"""
            {"host": "127.0.0.1", "port": {{sentinel.Port}}, "tls": "none", "from": "a@example.com", "to": "b@example.com", "subject": "s", "text": "t"}
            """), Timeout);

        SsrfGuardTests.AssertBlocked(result, "127.0.0.1");
        Assert.False(sentinel.WasReached);
    }

    private static string Message(SmtpReceiver smtp, string extra = "") => $$"""
        {"host": "127.0.0.1", "port": {{smtp.Port}}, "tls": "none", "from": "ratify@example.com", "to": "ops@example.com",
         "subject": "Hello", "text": "Body" {{extra}} }
        """;
}
