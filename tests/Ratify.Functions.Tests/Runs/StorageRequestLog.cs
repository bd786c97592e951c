using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Ratify.Functions.Tests.Runs;

/// <summary>Records every storage request a client sends (method and path), so that a test can tell which reads a change made.</summary>
internal sealed class StorageRequestLog : HttpPipelinePolicy
{
    private readonly ConcurrentQueue<string> _requests = new();

    public IReadOnlyList<string> Requests => [.. _requests];

    public void Clear() => _requests.Clear();

    /// <summary>The requests to <paramref name="table"/> (of the hub <paramref name="hub"/>) with this method.</summary>
    public int Count(string method, string hub, string table) =>
        Requests.Count(r => r.StartsWith(method + " ", StringComparison.Ordinal) && r.Contains("/" + hub + table, StringComparison.Ordinal));

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        ProcessNext(message, pipeline);
    }

    public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        Record(message);
        return ProcessNextAsync(message, pipeline);
    }

    private void Record(HttpMessage message) =>
        _requests.Enqueue($"{message.Request.Method} {Uri.UnescapeDataString(message.Request.Uri.Path)}");
}
