using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ratify.Functions.Tests.Orchestration;

/// <summary>A real loopback HTTP server standing in for a CRM, an OpenAI-compatible endpoint and a webhook receiver.</summary>
internal sealed class StandInServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private StandInServer(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, Dictionary<string, string> Headers, string Body)> Requests { get; } = new();

    public string BaseUrl { get; private set; } = string.Empty;

    public string HostAndPort => new Uri(BaseUrl).Authority;

    /// <summary>Starts the server; <paramref name="routes"/> maps further endpoints of the test's own.</summary>
    public static async Task<StandInServer> StartAsync(Action<WebApplication>? routes = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new StandInServer(app);
        app.Use(async (context, next) =>
        {
            // Buffered and rewound, so that an endpoint of the test's own can read the body too.
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            // Kestrel reuses its header objects after the request: keep a copy.
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            server.Requests.Enqueue((context.Request.Path, headers, await reader.ReadToEndAsync()));
            context.Request.Body.Position = 0;
            await next();
        });
        app.MapGet("/deals/{id}", (string id) => Results.Json(new { id, name = "Acme", amount = 25000 }));
        app.MapPost("/v1/chat/completions", () => Results.Json(new JsonObject
        {
            ["choices"] = new JsonArray(new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = "Acme is worth a call." } }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = 12, ["completion_tokens"] = 6, ["total_tokens"] = 18 },
        }));
        app.MapPost("/hooks/done", () => Results.Json(new { received = true }));
        routes?.Invoke(app);
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
