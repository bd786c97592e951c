using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ganss.Xss;
using Markdig;
using MimeKit;

namespace Ratify.Functions.Rendering;

/// <summary>
/// Renders an artifact's text for people, as an HTML fragment: markdown through Markdig with its HTML sanitised, HTML sanitised,
/// JSON pretty-printed, an email as its headers and body, anything else as encoded text.
/// </summary>
/// <remarks>Artifacts hold whatever steps produced: every byte of them is encoded or sanitised, so a fragment never carries script.</remarks>
public sealed class ArtifactHtmlRenderer
{
    /// <summary>The largest artifact rendered; bigger ones are read through the API.</summary>
    public const int MaxTextBytes = 512 * 1024;

    private static readonly MarkdownPipeline Markdown = new MarkdownPipelineBuilder().UseAdvancedExtensions().Build();
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly HtmlSanitizer _sanitizer = new();
    private readonly HtmlEncoder _encoder = HtmlEncoder.Default;

    /// <summary>Whether an artifact of <paramref name="type"/> and <paramref name="mediaType"/> is text that can be rendered.</summary>
    public static bool IsText(string type, string mediaType) =>
        type is "json" or "text" or "markdown" or "html" or "email" || mediaType.StartsWith("text/", StringComparison.Ordinal);

    /// <summary>The fragment for an artifact whose text is <paramref name="text"/>; null text (binary or too large) gets a sentence saying so.</summary>
    public string Render(string type, string mediaType, long size, string? text)
    {
        if (text is null)
        {
            return $"<p>Binary or large content ({E(mediaType)}, {size} bytes): read it through the API.</p>";
        }

        return type switch
        {
            "markdown" => $"<div class=\"markdown\">{_sanitizer.Sanitize(Markdig.Markdown.ToHtml(text, Markdown))}</div>",
            "html" => $"<div class=\"html\">{_sanitizer.Sanitize(text)}</div>",
            "json" => $"<pre class=\"json\">{E(PrettyJson(text))}</pre>",
            "email" => Email(text),
            _ => $"<pre>{E(text)}</pre>",
        };
    }

    /// <summary>The text of stored bytes when they are renderable text within <see cref="MaxTextBytes"/>; null otherwise.</summary>
    public static string? TextOf(string type, string mediaType, ReadOnlySpan<byte> bytes) =>
        IsText(type, mediaType) && bytes.Length <= MaxTextBytes ? Encoding.UTF8.GetString(bytes) : null;

    private string Email(string source)
    {
        MimeMessage message;
        try
        {
            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(source));
            message = MimeMessage.Load(stream);
        }
        catch (FormatException)
        {
            return $"<pre>{E(source)}</pre>";
        }

        var html = new StringBuilder("<div class=\"email\"><dl class=\"headers\">");
        Term(html, "From", message.From.ToString());
        Term(html, "To", message.To.ToString());
        if (message.Cc.Count > 0)
        {
            Term(html, "Cc", message.Cc.ToString());
        }

        Term(html, "Subject", message.Subject);
        html.Append("</dl>");
        html.Append(message.TextBody is { } body
            ? $"<pre class=\"body\">{E(body)}</pre>"
            : $"<div class=\"body\">{_sanitizer.Sanitize(message.HtmlBody ?? "")}</div>");
        var attachments = message.Attachments.Select(a => a.ContentDisposition?.FileName ?? a.ContentType.Name).OfType<string>().ToList();
        if (attachments.Count > 0)
        {
            html.Append("<p class=\"attachments\">Attachments: ").Append(E(string.Join(", ", attachments))).Append("</p>");
        }

        return html.Append("</div>").ToString();
    }

    private static string PrettyJson(string text)
    {
        try
        {
            return JsonNode.Parse(text)?.ToJsonString(Indented) ?? "null";
        }
        catch (JsonException)
        {
            return text;
        }
    }

    private void Term(StringBuilder html, string term, string? value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value ?? "—")).Append("</dd>");

    private string E(string value) => _encoder.Encode(value);
}
