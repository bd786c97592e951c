using Ratify.Testing;

namespace Ratify.Bench.Scenarios;

/// <summary>
/// (g) The real host driven through HTTP: concurrent clients each start a run of a five-step workflow (two steps in
/// parallel) with <c>?wait=</c>, so the start call answers with the finished run, then read it once, while one client
/// follows the tenant's event stream; beside it, the same shape run straight on the durable runtime.
/// </summary>
/// <remarks>
/// The ratios are the cost of the HTTP and workflow layers. The engine is measured twice: with every instance started at
/// once (the headline figures, comparable with (c)), and driven by the same clients and polling as the API, so that one
/// ratio compares like with like.
/// </remarks>
internal sealed class ApiRunsScenario : IScenario
{
    private const string ApiRateKey = "api_runs_per_s";
    private const string ApiP50Key = "api_run_latency_p50_ms";
    private const string ApiP95Key = "api_run_latency_p95_ms";
    private const string EngineRateKey = "engine_runs_per_s";
    private const string EngineP50Key = "engine_run_latency_p50_ms";
    private const string EngineP95Key = "engine_run_latency_p95_ms";
    private const string ClientsRateKey = "engine_clients_runs_per_s";
    private const string ClientsP50Key = "engine_clients_run_latency_p50_ms";
    private const string ClientsP95Key = "engine_clients_run_latency_p95_ms";
    private const string RateRatioKey = "api_vs_engine_runs_per_s";
    private const string LatencyRatioKey = "api_vs_engine_latency_p50";
    private const string ClientsRateRatioKey = "api_vs_engine_clients_runs_per_s";
    private const string ClientsLatencyRatioKey = "api_vs_engine_clients_latency_p50";
    private const string GetRunP50Key = "get_run_p50_ms";
    private const string StreamLagP50Key = "stream_event_lag_p50_ms";
    private const int Clients = 16;

    // Warm-up batches; the bound keeps a host that never settles from stretching the scenario.
    private const int WarmUpBatch = 100;
    private const int QuickWarmUpBatch = 25;
    private const int MinWarmUpRuns = 400;
    private const int QuickMinWarmUpRuns = 75;
    private const int MaxWarmUpRuns = 800;
    private const int QuickMaxWarmUpRuns = 100;

    // As for the in-process hosts: measure a host whose idle pollers are back at their resting rate.
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(2);

    public string Name => "(g) API runs";

    public IReadOnlyList<Figure> Figures { get; } =
    [
        new(ApiRateKey, "(g) API: 200 runs of 5 transform steps (b || c), 16 clients", "runs/s", FigureTime.PerSecond),
        new(ApiP50Key, "(g) API: POST /v1/runs?wait -> answered completed, p50", "ms", FigureTime.Milliseconds),
        new(ApiP95Key, "(g) API: POST /v1/runs?wait -> answered completed, p95", "ms", FigureTime.Milliseconds),
        new(GetRunP50Key, "(g) API: GET /v1/runs/{id} of a finished run under the load, p50", "ms", FigureTime.Milliseconds),
        new(StreamLagP50Key, "(g) API: event committed -> delivered on GET /v1/stream, p50", "ms", FigureTime.Milliseconds),
        new(EngineRateKey, "(g) engine: 200 x a -> (b || c) -> d -> e, together", "runs/s", FigureTime.PerSecond),
        new(EngineP50Key, "(g) engine: schedule -> seen completed, p50", "ms", FigureTime.Milliseconds),
        new(EngineP95Key, "(g) engine: schedule -> seen completed, p95", "ms", FigureTime.Milliseconds, InJson: false),
        new(ClientsRateKey, "(g) engine, 16 clients polling like the API", "runs/s", FigureTime.PerSecond, InJson: false),
        new(ClientsP50Key, "(g) engine, 16 clients: latency p50", "ms", FigureTime.Milliseconds, InJson: false),
        new(ClientsP95Key, "(g) engine, 16 clients: latency p95", "ms", FigureTime.Milliseconds, InJson: false),
        new(RateRatioKey, "(g) ratio api/engine runs/s (engine together)", "x", InJson: false),
        new(LatencyRatioKey, "(g) ratio api/engine latency p50 (engine together)", "x", InJson: false),
        new(ClientsRateRatioKey, "(g) ratio api/engine runs/s (engine, 16 clients)", "x", InJson: false),
        new(ClientsLatencyRatioKey, "(g) ratio api/engine latency p50 (engine, 16 clients)", "x", InJson: false),
    ];

    public async Task<IReadOnlyDictionary<string, double>> RunOnceAsync(BenchEnvironment environment, CancellationToken cancellation)
    {
        var count = environment.Size(full: 200, quick: 40);
        var (api, hostCpu, storageCpu, lags, warmUp) = await RunApiAsync(environment, count, cancellation);

        RunLoad together;
        RunLoad clients;
        RequestCounts requests;
        TimeSpan engineCpu;
        TimeSpan engineStorageCpu;
        await using (var host = await environment.StartHostAsync(cancellation))
        {
            environment.Requests.Start();
            var cpu = ProcessorTime();
            var storageCpuBefore = environment.StorageProcessorTime();
            together = await EngineRuns.TogetherAsync(host, count, cancellation);
            engineCpu = ProcessorTime() - cpu;
            engineStorageCpu = environment.StorageProcessorTime() - storageCpuBefore;
            requests = environment.Requests.Stop();
            await Task.Delay(Settle, cancellation);
            clients = await EngineRuns.ClosedLoopAsync(host, count, Clients, cancellation);
        }

        return new Dictionary<string, double>
        {
            [ApiRateKey] = api.RunsPerSecond,
            [ApiP50Key] = api.LatencyP50,
            [ApiP95Key] = api.LatencyP95,
            [GetRunP50Key] = Percentiles.Median(api.StatusCallsMs),
            [StreamLagP50Key] = Percentiles.Median(lags),
            ["(g) API detail: stream events seen"] = lags.Count,
            ["(g) API detail: event committed -> delivered p95 ms"] = Percentiles.Of(lags, 95),
            [EngineRateKey] = together.RunsPerSecond,
            [EngineP50Key] = together.LatencyP50,
            [EngineP95Key] = together.LatencyP95,
            [ClientsRateKey] = clients.RunsPerSecond,
            [ClientsP50Key] = clients.LatencyP50,
            [ClientsP95Key] = clients.LatencyP95,
            [RateRatioKey] = api.RunsPerSecond / together.RunsPerSecond,
            [LatencyRatioKey] = api.LatencyP50 / together.LatencyP50,
            [ClientsRateRatioKey] = api.RunsPerSecond / clients.RunsPerSecond,
            [ClientsLatencyRatioKey] = api.LatencyP50 / clients.LatencyP50,
            ["(g) API detail: POST /v1/runs p50 ms"] = Percentiles.Median(api.StartCallsMs),
            ["(g) API detail: POST /v1/runs p95 ms"] = Percentiles.Of(api.StartCallsMs, 95),
            ["(g) API detail: GET /v1/runs/{id} p95 ms"] = Percentiles.Of(api.StatusCallsMs, 95),
            ["(g) API detail: host process CPU ms per run"] = hostCpu.TotalMilliseconds / count,
            ["(g) API detail: Azurite CPU ms per run"] = storageCpu.TotalMilliseconds / count,
            ["(g) API detail: Azurite busy during the batch, % of one core"] = BusyPercent(storageCpu, count, api.RunsPerSecond),
            ["(g) API detail: warm-up runs before the batch"] = warmUp.Runs,
            ["(g) API detail: host CPU ms per run, first warm-up batch"] = warmUp.CpuMsPerRun[0],
            ["(g) API detail: host CPU ms per run, last warm-up batch"] = warmUp.CpuMsPerRun[^1],
            ["(g) engine detail: storage requests per run (together)"] = (double)requests.RuntimeTotal / count,
            ["(g) engine detail: bench process CPU ms per run (together; runtime and client)"] = engineCpu.TotalMilliseconds / count,
            ["(g) engine detail: Azurite CPU ms per run (together)"] = engineStorageCpu.TotalMilliseconds / count,
            ["(g) engine detail: Azurite busy (together), % of one core"] = BusyPercent(engineStorageCpu, count, together.RunsPerSecond),
            ["(g) engine detail: schedule call p50 ms (together)"] = Percentiles.Median(together.StartCallsMs),
            ["(g) engine detail: instance query p50 ms (together)"] = Percentiles.Median(together.StatusCallsMs),
            ["(g) engine detail: schedule call p50 ms (16 clients)"] = Percentiles.Median(clients.StartCallsMs),
            ["(g) engine detail: GetInstance p50 ms (16 clients)"] = Percentiles.Median(clients.StatusCallsMs),
        };
    }

    /// <summary>
    /// Starts the real host, defines the workflow, warms the host up until its CPU per run settles, then measures the batch, the
    /// stream's lag and the CPU time of the host and of Azurite over it.
    /// </summary>
    private static async Task<(RunLoad Load, TimeSpan HostCpu, TimeSpan StorageCpu, IReadOnlyList<double> LagsMs, HostWarmUpResult WarmUp)> RunApiAsync(
        BenchEnvironment environment, int count, CancellationToken cancellation)
    {
        await using var host = await RatifyHostProcess.StartAsync(environment.ConnectionString, cancellation);
        try
        {
            await ApiRuns.CreateWorkflowAsync(host.Client, cancellation);

            // The first runs pay for JIT, connections and the app's tables; none of that is measured.
            var warmUp = await HostWarmUp.RunAsync(
                host,
                environment.Size(full: WarmUpBatch, quick: QuickWarmUpBatch),
                environment.Size(full: MinWarmUpRuns, quick: QuickMinWarmUpRuns),
                environment.Size(full: MaxWarmUpRuns, quick: QuickMaxWarmUpRuns), (n, token) => BatchAsync(host, n, token), cancellation);
            await Task.Delay(Settle, cancellation);
            var cpu = host.ProcessorTime;
            var storageCpu = environment.StorageProcessorTime();
            RunLoad load;
            IReadOnlyList<double> lags;
            await using (var stream = await StreamLagRecorder.StartAsync(host.Client, cancellation))
            {
                load = await BatchAsync(host, count, cancellation);
                lags = stream.LagsMs;
            }

            return (load, host.ProcessorTime - cpu, environment.StorageProcessorTime() - storageCpu, lags, warmUp);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.EnsureRunning(); // a host that died is the reason, with its last words
            throw;
        }
    }

    /// <summary>CPU time over wall time of a batch of <paramref name="count"/> runs: near 100, the single-threaded Azurite is what limits the rate.</summary>
    private static double BusyPercent(TimeSpan cpu, int count, double runsPerSecond) => cpu.TotalSeconds * runsPerSecond / count * 100;

    private static TimeSpan ProcessorTime()
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static Task<RunLoad> BatchAsync(RatifyHostProcess host, int count, CancellationToken cancellation) =>
        WaitingLoop.RunAsync(
            count,
            Clients,
            (i, token) => ApiRuns.StartAndWaitAsync(host.Client, i, token),
            (runId, token) => ApiRuns.IsCompletedAsync(host.Client, runId, token),
            cancellation);
}
