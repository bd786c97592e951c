using System.Text.Json.Nodes;
using Ratify.Connectors;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;
using Ratify.Functions.Tests.Workflows;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Api;

public sealed class ReplayPlannerTests
{
    // a -> b -> c -> e, a -> d; f stands alone.
    private static readonly WorkflowDefinition Graph = Parse("""
        {"id": "g", "name": "G", "steps": [
          {"id": "a", "type": "transform", "with": {}},
          {"id": "b", "type": "transform", "dependsOn": ["a"], "with": {}},
          {"id": "c", "type": "transform", "dependsOn": ["b"], "with": {}, "sideEffect": "irreversible"},
          {"id": "d", "type": "transform", "dependsOn": ["a"], "with": {}, "sideEffect": "irreversible"},
          {"id": "e", "type": "transform", "dependsOn": ["c", "d"], "with": {}},
          {"id": "f", "type": "transform", "with": {}}
        ]}
        """);

    [Fact]
    public void Downstream_FromAMiddleStep_IsTheStepAndEveryTransitiveDependant()
    {
        Assert.Equal(["b", "c", "e"], ReplayPlanner.Downstream(Graph, "b").Order());
        Assert.Equal(["a", "b", "c", "d", "e"], ReplayPlanner.Downstream(Graph, "a").Order());
        Assert.Equal(["f"], ReplayPlanner.Downstream(Graph, "f"));
    }

    [Fact]
    public void Downstream_UnknownStep_Throws()
    {
        Assert.Throws<ArgumentException>(() => ReplayPlanner.Downstream(Graph, "zz"));
    }

    [Fact]
    public void Plan_AllCompleted_ReusesEverythingOutsideTheClosureFromTheOriginalRun()
    {
        var plan = ReplayPlanner.Plan(Graph, "b", "run_x", Original(("a", "completed", 2), ("b", "completed", 1), ("c", "completed", 1), ("d", "completed", 1), ("e", "completed", 1), ("f", "skipped", 0)),
            Declared, rerunIrreversible: true);

        Assert.Equal(["a", "b", "c", "d", "e", "f"], plan.Steps.Select(s => s.Id));
        Assert.Equal(["reuse", "run", "run", "reuse", "run", "reuse"], plan.Steps.Select(s => s.Action));
        Assert.Equal(new ReusedStep("run_x", "completed", 2), plan.Reuse["a"]);
        Assert.Equal(new ReusedStep("run_x", "skipped", 0), plan.Reuse["f"]);
        Assert.Equal(["a", "d", "f"], plan.Reuse.Keys.Order());
        Assert.Empty(plan.WouldRefuse);
    }

    [Fact]
    public void Plan_StepsThatDidNotFinishUpstream_RunAgainToo()
    {
        var plan = ReplayPlanner.Plan(Graph, "e", "run_x", Original(("a", "completed", 1), ("b", "failed", 3), ("d", "cancelled", 0)), Declared, rerunIrreversible: false);

        Assert.Equal(["reuse", "run", "run", "run", "run", "run"], plan.Steps.Select(s => s.Action));
        Assert.Equal(["a"], plan.Reuse.Keys);
        Assert.Empty(plan.WouldRefuse); // c and d never completed: running them is their first success
    }

    [Fact]
    public void Plan_CompletedIrreversibleStepInTheClosure_IsRefusedUnlessAllowed()
    {
        var original = Original(("a", "completed", 1), ("b", "completed", 1), ("c", "completed", 1), ("d", "completed", 1), ("e", "completed", 1));

        var refused = ReplayPlanner.Plan(Graph, "a", "run_x", original, Declared, rerunIrreversible: false);
        var allowed = ReplayPlanner.Plan(Graph, "a", "run_x", original, Declared, rerunIrreversible: true);
        var later = ReplayPlanner.Plan(Graph, "e", "run_x", original, Declared, rerunIrreversible: false);

        Assert.Equal(["c", "d"], refused.WouldRefuse);
        Assert.Empty(allowed.WouldRefuse);
        Assert.Equal(refused.Steps, allowed.Steps);
        Assert.Empty(later.WouldRefuse); // from e, the irreversible steps are reused
        Assert.Equal(SideEffect.Irreversible, later.Steps.Single(s => s.Id == "c").SideEffect);
    }

    [Fact]
    public void SideEffectOf_OverrideWinsThenConnectorThenBuiltInsRead_AndAnUnknownConnectorIsIrreversible()
    {
        var catalog = new ConnectorCatalog([new FakeConnector("http")]);
        var steps = Parse("""
            {"id": "s", "name": "S", "steps": [
              {"id": "t", "type": "transform", "with": {}},
              {"id": "h", "connector": "http", "with": {"url": "https://x.example"}},
              {"id": "o", "connector": "http", "with": {"url": "https://x.example"}, "sideEffect": "irreversible"},
              {"id": "w", "type": "delay", "with": {"duration": "PT1S"}}
            ]}
            """).Steps;
        var gone = steps[1] with { Connector = "removed" };

        Assert.Equal(
            [SideEffect.Read, SideEffect.Read, SideEffect.Irreversible, SideEffect.Read, SideEffect.Irreversible],
            steps.Append(gone).Select(s => ReplayPlanner.SideEffectOf(s, catalog)));
    }

    private static SideEffect Declared(StepDefinition step) => step.SideEffect ?? SideEffect.Read;

    [Fact]
    public void Plan_ReusedStep_KeepsItsOriginalTimes()
    {
        var started = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var original = Original(("a", "completed", 1), ("b", "completed", 1), ("c", "completed", 1), ("d", "completed", 1), ("e", "completed", 1), ("f", "skipped", 0));
        original["a"] = original["a"] with { StartedAt = started, CompletedAt = started.AddSeconds(3) };

        var plan = ReplayPlanner.Plan(Graph, "b", "run_x", original, Declared, rerunIrreversible: true);

        Assert.Equal((started, started.AddSeconds(3)), (plan.Reuse["a"].StartedAt, plan.Reuse["a"].CompletedAt));
    }

    private static Dictionary<string, StepProgress> Original(params (string Id, string Status, int Attempts)[] steps) =>
        steps.ToDictionary(s => s.Id, s => new StepProgress(s.Status, s.Attempts, null, null, null, null));

    private static WorkflowDefinition Parse(string json)
    {
        var result = Definitions.Parser().Parse(json);
        Assert.True(result.IsValid, string.Join("; ", result.Errors.Select(e => $"{e.Pointer}: {e.Message}")));
        return result.Definition!;
    }
}
