using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MimeKit;
using Ratify.Connectors.Arguments;

namespace Ratify.Connectors.Email;

/// <summary>Builds the MIME message of an email step, attachments read from the run's artifacts.</summary>
internal static class EmailMessageFactory
{
    public static async Task<MimeMessage> CreateAsync(ConnectorContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        var arguments = context.Arguments;
        var from = Mailbox(ArgumentReader.RequiredString(arguments, "from"), "from");
        var message = new MimeMessage
        {
            Subject = ArgumentReader.RequiredString(arguments, "subject"),
            Date = time.GetUtcNow(),
            // The same on every attempt, so a receiver can recognise a repeated delivery.
            MessageId = $"{StableId(context.IdempotencyKey)}@{from.Domain}",
        };
        message.Headers.Add(IdempotencyHeader.Name, context.IdempotencyKey);
        message.From.Add(from);
        message.To.AddRange(Addresses(arguments, "to", required: true));
        message.Cc.AddRange(Addresses(arguments, "cc", required: false));

        var body = new BodyBuilder
        {
            TextBody = ArgumentReader.OptionalString(arguments, "text"),
            HtmlBody = ArgumentReader.OptionalString(arguments, "html"),
        };
        if (body.TextBody is null && body.HtmlBody is null)
        {
            throw new ConnectorArgumentException("/text", "'text' or 'html' is required");
        }

        if (arguments["attachments"] is { } attachments)
        {
            if (attachments is not JsonArray list)
            {
                throw ArgumentReader.Wrong("attachments", "an array of {step, name, filename?}");
            }

            for (var i = 0; i < list.Count; i++)
            {
                await AttachAsync(body, list[i], i, context.Artifacts, cancellationToken).ConfigureAwait(false);
            }
        }

        message.Body = body.ToMessageBody();
        return message;
    }

    /// <summary>True when the text is one or more valid addresses (used at definition time).</summary>
    public static bool IsAddressList(string text) =>
        InternetAddressList.TryParse(text, out var list) && list.Count > 0 && list.All(a => a is MailboxAddress);

    private static async Task AttachAsync(BodyBuilder body, JsonNode? node, int index, IArtifactReader artifacts, CancellationToken cancellationToken)
    {
        var pointer = $"attachments/{index}";
        var entry = node as JsonObject ?? throw ArgumentReader.Wrong(pointer, "an object {step, name, filename?}");
        string step, name;
        string? filename;
        try
        {
            step = ArgumentReader.RequiredString(entry, "step");
            name = ArgumentReader.RequiredString(entry, "name");
            filename = ArgumentReader.OptionalString(entry, "filename");
        }
        catch (ConnectorArgumentException e)
        {
            // Said where it is: inside this attachment, not at the top of the arguments.
            throw new ConnectorArgumentException("/" + pointer + e.Pointer, $"attachment {index}: {e.Message}");
        }

        var artifact = await artifacts.ReadAsync(step, name, cancellationToken).ConfigureAwait(false)
            ?? throw new ConnectorArgumentException("/" + pointer, $"step '{step}' has no artifact '{name}' to attach");
        var (mediaType, extension) = MediaTypeOf(artifact.Type);
        filename ??= name + extension;
        body.Attachments.Add(filename, artifact.Content.ToArray(), ContentType.Parse(mediaType));
    }

    private static (string MediaType, string Extension) MediaTypeOf(string artifactType) => artifactType.ToLowerInvariant() switch
    {
        "json" => ("application/json", ".json"),
        "text" => ("text/plain; charset=utf-8", ".txt"),
        "markdown" => ("text/markdown; charset=utf-8", ".md"),
        "html" => ("text/html; charset=utf-8", ".html"),
        "email" => ("message/rfc822", ".eml"),
        var other when other.Contains('/', StringComparison.Ordinal) => (other, ""),
        _ => ("application/octet-stream", ""),
    };

    private static List<MailboxAddress> Addresses(JsonObject arguments, string name, bool required)
    {
        var node = arguments[name];
        if (node is null)
        {
            return required ? throw new ConnectorArgumentException("/" + name, $"'{name}' is required") : [];
        }

        IEnumerable<JsonNode?> items = node is JsonArray array ? array : new[] { node };
        var result = new List<MailboxAddress>();
        foreach (var item in items)
        {
            var text = item is JsonValue v && v.GetValueKind() == JsonValueKind.String
                ? v.GetValue<string>()
                : throw ArgumentReader.Wrong(name, "an address or an array of addresses");
            if (!InternetAddressList.TryParse(text, out var list) || list.Count == 0)
            {
                throw ArgumentReader.Wrong(name, "a valid email address");
            }

            result.AddRange(list.Mailboxes);
        }

        return required && result.Count == 0 ? throw new ConnectorArgumentException("/" + name, $"'{name}' is required") : result;
    }

    private static MailboxAddress Mailbox(string text, string name) =>
        MailboxAddress.TryParse(text, out var address) ? address : throw ArgumentReader.Wrong(name, "a valid email address");

    private static string StableId(string key) =>
        "ratify." + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..32];
}
