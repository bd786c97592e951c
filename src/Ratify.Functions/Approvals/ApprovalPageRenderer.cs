using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Functions.Http;
using Ratify.Functions.Rendering;

namespace Ratify.Functions.Approvals;

/// <summary>
/// Renders the approver page: the question, the run, every artifact shown rendered for people (by <see cref="ArtifactHtmlRenderer"/>)
/// and the Approve / Reject form, driven by a static script.
/// </summary>
/// <remarks>Everything from a run is encoded or sanitised; the page runs no inline script and its policy allows only this host's files.</remarks>
public sealed class ApprovalPageRenderer
{
    /// <summary>The page's Content-Security-Policy: own script and style only, no inline code, no framing, no plug-ins.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; " +
        "frame-ancestors 'none'; base-uri 'none'";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly ArtifactHtmlRenderer _artifacts = new();
    private readonly HtmlEncoder _encoder = HtmlEncoder.Default;

    public string Render(ApprovalContextResponse approval)
    {
        ArgumentNullException.ThrowIfNull(approval);
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\"><title>Approval: ").Append(E(approval.RunContext["stepId"]?.ToString() ?? "")).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/approvals/approval.css\"><script src=\"/approvals/approval.js\" defer></script></head><body>")
            .Append("<main id=\"approval\" data-approval-id=\"").Append(E(approval.ApprovalId)).Append("\" data-status=\"").Append(E(approval.Status)).Append("\">")
            .Append("<h1>Approval requested</h1><p class=\"message\" id=\"message\">").Append(E(approval.Message)).Append("</p><dl class=\"run\">");
        Term(html, "Run", approval.RunContext["runId"]?.ToString());
        Term(html, "Workflow", $"{approval.RunContext["workflowId"]} (version {approval.RunContext["version"]})");
        Term(html, "Step", approval.RunContext["stepId"]?.ToString());
        Term(html, "Started by", approval.RunContext["startedBy"]?.ToString());
        Term(html, "Asked of", approval.Approver);
        Term(html, "Link expires", approval.ExpiresAt?.ToString("u"));
        html.Append("</dl>");
        if (approval.RunContext["input"] is { } input)
        {
            html.Append("<section class=\"input\"><h2>Run input</h2><pre>").Append(E(input.ToJsonString(Indented))).Append("</pre></section>");
        }

        foreach (var artifact in approval.Artifacts)
        {
            html.Append("<section class=\"artifact\" data-artifact=\"").Append(E($"{artifact.StepId}/{artifact.Name}")).Append("\"><h2>")
                .Append(E($"{artifact.StepId}/{artifact.Name}")).Append(" <small>").Append(E(artifact.Type)).Append(" · sha256 ").Append(E(artifact.Sha256))
                .Append("</small></h2>");
            if (artifact.Changed)
            {
                html.Append("<p class=\"warning\">The stored artifact no longer matches what this approval was asked about.</p>");
            }

            html.Append("<div class=\"content\">").Append(Content(artifact)).Append("</div></section>");
        }

        if (approval.Status == ApprovalStatuses.Pending)
        {
            html.Append("<form id=\"decide\"><label for=\"note\">Note (optional)</label><textarea id=\"note\" maxlength=\"")
                .Append(ApprovalLimits.MaxNoteLength).Append("\" rows=\"3\"></textarea><div class=\"buttons\">")
                .Append("<button type=\"submit\" id=\"approve\" value=\"approved\">Approve</button>")
                .Append("<button type=\"submit\" id=\"reject\" value=\"rejected\">Reject</button></div></form>");
        }
        else
        {
            var decision = approval.Decision;
            html.Append("<p class=\"decided\">This approval is ").Append(E(approval.Status));
            if (decision is not null)
            {
                html.Append(" by ").Append(E(decision.DecidedBy)).Append(" at ").Append(E(decision.DecidedAt.ToString("u")));
            }

            html.Append(".</p>");
        }

        html.Append("<p id=\"result\" role=\"status\"></p></main></body></html>");
        return html.ToString();
    }

    private string Content(ApprovalArtifactContent artifact) =>
        _artifacts.Render(artifact.Type, artifact.MediaType, artifact.Size, artifact.Content);

    private void Term(StringBuilder html, string term, string? value) =>
        html.Append("<dt>").Append(E(term)).Append("</dt><dd>").Append(E(value ?? "—")).Append("</dd>");

    private string E(string value) => _encoder.Encode(value);
}
