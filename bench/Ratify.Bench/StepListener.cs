using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Ratify.Bench;

/// <summary>A loopback HTTP endpoint that a run's webhook step calls: when it is reached, that step has started.</summary>
internal sealed class StepListener : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _arrivals = new();

    private StepListener(WebApplication app) => _app = app;

    /// <summary>The URL the webhook step posts <c>{"runId": …}</c> to.</summary>
    public string Url { get; private set; } = string.Empty;

    public static async Task<StepListener> StartAsync(CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var listener = new StepListener(app);
        app.MapPost("/step", async (HttpRequest request) =>
        {
            var arrived = Measure.Now();
            using var body = await System.Text.Json.JsonDocument.ParseAsync(request.Body);
            listener.Arrival(body.RootElement.GetProperty("runId").GetString()!).TrySetResult(arrived);
            return Results.Ok();
        });
        await app.StartAsync(cancellation);
        listener.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/step";
        return listener;
    }

    /// <summary>Completes with the Stopwatch timestamp at which the run's webhook step reached this endpoint.</summary>
    public Task<long> ArrivalAsync(string runId) => Arrival(runId).Task;

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private TaskCompletionSource<long> Arrival(string runId) =>
        _arrivals.GetOrAdd(runId, _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously));
}
