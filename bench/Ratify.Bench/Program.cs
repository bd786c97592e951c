using System.Globalization;
using System.Runtime;
using System.Text.Json;
using Ratify.Bench;
using Ratify.Bench.Scenarios;
using Ratify.Testing;

var options = BenchOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync(BenchOptions.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the scenarios, then fall through to stopping Azurite
    cancellation.Cancel();
};

var azurite = new AzuriteFixture();
var stopped = 0;
void StopAzurite()
{
    if (Interlocked.Exchange(ref stopped, 1) == 0)
    {
        azurite.DisposeAsync().GetAwaiter().GetResult();
    }
}

AppDomain.CurrentDomain.ProcessExit += (_, _) => StopAzurite();
try
{
    var runs = options.Quick ? 1 : 3;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Ratify.Bench: {(options.Quick ? "quick smoke test: 1 run, sizes smaller than the labels say" : "median of 3 runs")}; " +
        $"{Environment.ProcessorCount} CPUs, .NET {Environment.Version}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC, " +
        $"Azurite {AzuriteVersion()} in memory; load average {LoadAverage()}"));
    await azurite.InitializeAsync();

    using var requests = new HttpRequestCounter(new Dictionary<int, string>
    {
        [azurite.TablePort] = "table",
        [azurite.QueuePort] = "queue",
        [azurite.BlobPort] = "blob",
    });
    var environment = new BenchEnvironment(azurite.ConnectionString, options.Quick, requests, () => azurite.ProcessorTime);
    var runner = new ScenarioRunner(environment, runs, options.Quick ? TimeSpan.FromMinutes(2) : TimeSpan.FromMinutes(5));
    IScenario[] scenarios =
    [
        new BaselineScenario(),
        new SequentialScenario(),
        new FanOutScenario(),
        new ConcurrentScenario(),
        new EventLatencyScenario(),
        new StartLatencyScenario(),
        new StepCostScenario(),
        new ApiRunsScenario(),
        new ApprovalResumeScenario(),
    ];

    if (options.Only is { } only)
    {
        scenarios = [.. scenarios.Where(s => s is BaselineScenario || s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
    }

    if (!await WarmUp.TryRunAsync(environment, cancellation.Token))
    {
        return 1; // nothing can be measured on a runtime that cannot finish the warm-up
    }

    var outcomes = new List<ScenarioOutcome>();
    foreach (var scenario in scenarios)
    {
        cancellation.Token.ThrowIfCancellationRequested();
        Console.WriteLine(scenario.Name);
        outcomes.Add(await runner.RunAsync(scenario, cancellation.Token));
    }

    Console.WriteLine();
    Console.Write(ResultTable.Render(outcomes));
    Console.WriteLine("load average at the end: " + LoadAverage());
    if (options.JsonPath is { } path)
    {
        await JsonReport.WriteAsync(path, outcomes);
        Console.WriteLine("figures written to " + path);
    }

    return outcomes.Any(o => o.Error is not null) ? 1 : 0;
}
catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
{
    await Console.Error.WriteLineAsync("cancelled");
    return 130;
}
finally
{
    StopAzurite();
}

static string AzuriteVersion()
{
    try
    {
        using var package = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "package.json")));
        return package.RootElement.GetProperty("version").GetString() ?? "?";
    }
    catch (Exception e) when (e is IOException or JsonException or InvalidOperationException or KeyNotFoundException)
    {
        return "?";
    }
}

// Other work on the machine moves every figure; the baselines absorb some of it, this says how much there was.
static string LoadAverage()
{
    const string LoadFile = "/proc/loadavg";
    return File.Exists(LoadFile) ? string.Join(' ', File.ReadAllText(LoadFile).Split(' ').Take(3)) : "n/a";
}
