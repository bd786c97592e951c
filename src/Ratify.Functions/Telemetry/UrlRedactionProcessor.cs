using System.Diagnostics;
using OpenTelemetry;

namespace Ratify.Functions.Telemetry;

/// <summary>
/// Removes what could carry a secret from HTTP spans before they are exported: approval links carry their token in the
/// query (or path), and connector URLs often hold a key in their path or query (webhook URLs are secrets themselves).
/// </summary>
/// <remarks>
/// Incoming requests keep their route template (<c>http.route</c>) as <c>url.path</c> and lose <c>url.query</c>; a request
/// that matched no route keeps no path at all. Outgoing calls keep their scheme, host and port only.
/// </remarks>
public sealed class UrlRedactionProcessor : BaseProcessor<Activity>
{
    /// <summary>What replaces the path and query of an outgoing call's <c>url.full</c>.</summary>
    public const string Redacted = "REDACTED";

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        switch (data.Kind)
        {
            case ActivityKind.Server:
                data.SetTag("url.query", null);
                data.SetTag("url.full", null);
                data.SetTag("url.path", data.GetTagItem("http.route") as string);
                break;
            case ActivityKind.Client when data.GetTagItem("url.full") is string full:
                data.SetTag("url.full", Uri.TryCreate(full, UriKind.Absolute, out var uri)
                    ? $"{uri.GetLeftPart(UriPartial.Authority)}/{Redacted}"
                    : Redacted);
                data.SetTag("url.path", null);
                data.SetTag("url.query", null);
                break;
        }
    }
}
