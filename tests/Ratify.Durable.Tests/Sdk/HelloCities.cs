using Microsoft.Extensions.Logging;

namespace Ratify.Durable.Tests.Sdk;

// Written as the Durable Functions isolated-worker documentation writes a class-based orchestration; nothing here knows
// which backend runs it.
public class HelloCitiesOrchestrator : TaskOrchestrator<string?, List<string>>
{
    public override async Task<List<string>> RunAsync(TaskOrchestrationContext context, string? input)
    {
        ILogger logger = context.CreateReplaySafeLogger<HelloCitiesOrchestrator>();
        logger.LogInformation("Saying hello.");
        var outputs = new List<string>
        {
            await context.CallActivityAsync<string>(nameof(SayHelloActivity), "Tokyo"),
            await context.CallActivityAsync<string>(nameof(SayHelloActivity), "Seattle"),
            await context.CallActivityAsync<string>(nameof(SayHelloActivity), "London"),
        };
        return outputs;
    }
}

public class SayHelloActivity(ILogger<SayHelloActivity> logger) : TaskActivity<string, string>
{
    public override Task<string> RunAsync(TaskActivityContext context, string cityName)
    {
        logger.LogInformation("Saying hello to {Name}", cityName);
        return Task.FromResult($"Hello {cityName}!");
    }
}

// The function-based form of the same orchestration; in a Functions app these methods carry [Function] and the
// trigger attributes, and the host registers them by name.
public static class HelloCitiesFunctions
{
    public static async Task<List<string>> HelloCities(TaskOrchestrationContext context)
    {
        ILogger logger = context.CreateReplaySafeLogger(nameof(HelloCities));
        logger.LogInformation("Saying hello.");
        var outputs = new List<string>();
        outputs.Add(await context.CallActivityAsync<string>(nameof(SayHello), "Tokyo"));
        outputs.Add(await context.CallActivityAsync<string>(nameof(SayHello), "Seattle"));
        outputs.Add(await context.CallActivityAsync<string>(nameof(SayHello), "London"));
        return outputs;
    }

    public static string SayHello(TaskActivityContext context, string name) => $"Hello {name}!";
}
