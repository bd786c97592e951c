using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ratify.Connectors.Tests.Support;

/// <summary>A real HTTP server on 127.0.0.1 standing in for a remote API: records every request and answers by path.</summary>
/// <remarks>
/// Built-in paths: <c>/ok</c> (200 JSON), <c>/text</c>, <c>/status/{code}</c> (with <c>?retryAfter=</c> or <c>?retryAt=</c>),
/// <c>/slow</c> (answers only when the client gives up), <c>/redirect?to=…&amp;status=…</c>, <c>/loop</c> (redirects to itself).
/// Tests add their own with <see cref="Map"/>.
/// </remarks>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentDictionary<string, Func<HttpContext, RecordedRequest, Task>> _handlers = new(StringComparer.Ordinal);
    private int _connections;

    private LoopbackServer(WebApplication app)
    {
        _app = app;
    }

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>The allow-list entry that opens this server (and only this port).</summary>
    public string AllowEntry => $"127.0.0.1:{Port}";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    public int Connections => Volatile.Read(ref _connections);

    public static async Task<LoopbackServer> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        LoopbackServer? server = null;
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => async connection =>
        {
            Interlocked.Increment(ref server!._connections);
            await next(connection);
        })));
        var app = builder.Build();
        server = new LoopbackServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Port = new Uri(address).Port;
        return server;
    }

    public string Url(string pathAndQuery) => BaseUrl + pathAndQuery;

    /// <summary>Answers <paramref name="path"/> with a handler of the test's own.</summary>
    public void Map(string path, Func<HttpContext, RecordedRequest, Task> handler) => _handlers[path] = handler;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.QueryString.Value ?? "", headers, body.ToArray());
        _requests.Enqueue(recorded);

        var path = recorded.Path;
        if (_handlers.TryGetValue(path, out var handler))
        {
            await handler(context, recorded);
            return;
        }

        await BuiltInAsync(context, path);
    }

    private static async Task BuiltInAsync(HttpContext context, string path)
    {
        var query = context.Request.Query;
        switch (path)
        {
            case "/ok":
                await context.Response.WriteAsJsonAsync(new { hello = "world", n = 42 });
                break;
            case "/text":
                context.Response.ContentType = "text/plain; charset=utf-8";
                await context.Response.WriteAsync("plain words");
                break;
            case "/slow":
                // Never answers: the request ends when the client's timeout closes the connection.
                await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                break;
            case "/redirect":
                context.Response.StatusCode = int.TryParse(query["status"], out var status) ? status : 302;
                context.Response.Headers.Location = query["to"].ToString();
                break;
            case "/loop":
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/loop";
                break;
            case var p when p.StartsWith("/status/", StringComparison.Ordinal):
                context.Response.StatusCode = int.Parse(p["/status/".Length..], System.Globalization.CultureInfo.InvariantCulture);
                if (query.TryGetValue("retryAfter", out var after))
                {
                    context.Response.Headers.RetryAfter = after.ToString();
                }

                await context.Response.WriteAsJsonAsync(new { error = "status " + context.Response.StatusCode, echo = query["echo"].ToString() });
                break;
            default:
                context.Response.StatusCode = 404;
                break;
        }
    }
}
