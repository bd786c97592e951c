using Microsoft.DurableTask;

namespace Ratify.Bench;

/// <summary>The orchestrators and activities the scenarios run: no-op work, so that only the runtime is measured.</summary>
internal static class BenchTasks
{
    /// <summary>Runs N no-op activities one after the other (input: N).</summary>
    public const string Sequence = nameof(Sequence);

    /// <summary>Runs N no-op activities at once and waits for all of them (input: N).</summary>
    public const string FanOut = nameof(FanOut);

    /// <summary>Like <see cref="Sequence"/>, with each activity stamping when it started (input: N); the stamp is a no-op's worth of work.</summary>
    public const string StampedSequence = nameof(StampedSequence);

    /// <summary>Sets its custom status to <see cref="WaitingStatus"/> and returns the payload of event <see cref="EventName"/>.</summary>
    public const string AwaitEvent = nameof(AwaitEvent);

    /// <summary>Five no-op activities shaped a → (b ∥ c) → d → e, the shape of the API scenario's workflow (input: any number).</summary>
    public const string Diamond = nameof(Diamond);

    public const string EventName = "go";
    public const string WaitingStatus = "waiting";

    private const string Noop = nameof(Noop);
    private const string StampStep = nameof(StampStep);

    public static void Register(DurableTaskRegistry registry)
    {
        // Orchestrator code runs on the runtime's replay scheduler: no ConfigureAwait here.
        registry.AddOrchestratorFunc<int, int>(Sequence, async (context, steps) =>
        {
            for (var step = 0; step < steps; step++)
            {
                await context.CallActivityAsync(Noop, step);
            }

            return steps;
        });
        registry.AddOrchestratorFunc<int, int>(FanOut, async (context, width) =>
        {
            await Task.WhenAll(Enumerable.Range(0, width).Select(i => context.CallActivityAsync(Noop, i)));
            return width;
        });
        registry.AddOrchestratorFunc<int, int>(StampedSequence, async (context, steps) =>
        {
            for (var step = 0; step < steps; step++)
            {
                await context.CallActivityAsync(StampStep, step);
            }

            return steps;
        });
        registry.AddOrchestratorFunc<int, string?>(AwaitEvent, async (context, _) =>
        {
            context.SetCustomStatus(WaitingStatus);
            return await context.WaitForExternalEvent<string?>(EventName);
        });

        registry.AddOrchestratorFunc<int, int>(Diamond, async (context, n) =>
        {
            var a = await context.CallActivityAsync<int>(Noop, n);
            var parallel = await Task.WhenAll(context.CallActivityAsync<int>(Noop, a), context.CallActivityAsync<int>(Noop, a));
            var d = await context.CallActivityAsync<int>(Noop, parallel[0]);
            return await context.CallActivityAsync<int>(Noop, d);
        });

        registry.AddActivityFunc<int, int>(Noop, (_, input) => Task.FromResult(input));
        registry.AddActivityFunc<int, int>(StampStep, (context, step) =>
        {
            ActivityStamps.StampStep(context.InstanceId, step);
            return Task.FromResult(step);
        });
    }
}
