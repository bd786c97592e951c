using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Tests.Events;

/// <summary>Reads Server-Sent Events from a stream endpoint until the test has what it waits for.</summary>
internal static class SseStream
{
    /// <summary>Opens <paramref name="path"/> and collects events until <paramref name="done"/> holds; each frame's id must be the event's <paramref name="idField"/>.</summary>
    public static async Task<List<JsonObject>> ReadUntilAsync(
        HttpClient client, string path, Func<List<JsonObject>, bool> done, CancellationToken cancellationToken, string? lastEventId = null, string idField = "cursor")
    {
        using var response = await OpenAsync(client, path, lastEventId, cancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var events = new List<JsonObject>();
        string? id = null;
        while (!done(events) && await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                var item = JsonNode.Parse(line[6..])!.AsObject();
                Assert.Equal(id, item[idField]!.ToJsonString());
                events.Add(item);
            }
        }

        return events;
    }

    /// <summary>Sends the stream request and returns once the headers arrived.</summary>
    public static async Task<HttpResponseMessage> OpenAsync(HttpClient client, string path, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static string Type(JsonObject e) => e["type"]!.GetValue<string>();

    public static string RunId(JsonObject e) => e["runId"]!.GetValue<string>();

    public static long Cursor(JsonObject e) => e["cursor"]!.GetValue<long>();

    public static long Seq(JsonObject e) => e["seq"]!.GetValue<long>();
}
