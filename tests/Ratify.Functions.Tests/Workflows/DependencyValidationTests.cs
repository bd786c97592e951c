using Ratify.Functions.Workflows;

namespace Ratify.Functions.Tests.Workflows;

public sealed class DependencyValidationTests
{
    [Fact]
    public void Parse_DuplicateStepId_PointsAtTheSecond()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "transform"}""", """{"id": "a", "type": "transform"}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/1/id", "already used by /steps/0");
    }

    [Fact]
    public void Parse_UnknownDependency_PointsAtTheEntry()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform"}""",
            """{"id": "b", "type": "transform"}""",
            """{"id": "c", "type": "transform", "dependsOn": ["a", "b", "x"]}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/2/dependsOn/2", "no step has that id");
    }

    [Fact]
    public void Parse_DependencyListedTwice_IsReported()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "transform"}""", """{"id": "b", "type": "transform", "dependsOn": ["a", "a"]}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/1/dependsOn/1", "listed twice");
    }

    [Fact]
    public void Parse_Cycle_ReportsThePathOnce()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform", "dependsOn": ["c"]}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"]}""",
            """{"id": "c", "type": "transform", "dependsOn": ["b"]}""",
            """{"id": "d", "type": "transform", "dependsOn": ["c"]}"""));

        var cycle = Assert.Single(result.Errors);
        Assert.Equal("/steps/1/dependsOn/0", cycle.Pointer);
        Assert.Equal("dependency cycle: a -> c -> b -> a", cycle.Message);
    }

    [Fact]
    public void Parse_SelfDependency_IsACycle()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "transform", "dependsOn": ["a"]}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/0/dependsOn/0", "dependency cycle: a -> a");
    }

    [Fact]
    public void Parse_TwoSeparateCycles_ReportsBoth()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform", "dependsOn": ["b"]}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"]}""",
            """{"id": "c", "type": "transform", "dependsOn": ["d"]}""",
            """{"id": "d", "type": "transform", "dependsOn": ["c"]}"""));

        Assert.Equal(2, result.Errors.Count(e => e.Message.StartsWith("dependency cycle", StringComparison.Ordinal)));
    }

    [Fact]
    public void Parse_ReferenceToTransitiveUpstream_IsAccepted()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform"}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"]}""",
            """{"id": "c", "type": "transform", "dependsOn": ["b"], "if": "steps.a.output.ok", "with": {"v": "{{ steps['a'].output.x }}"}}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Parse_ReferenceToParallelStep_IsNotUpstream()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform"}""",
            """{"id": "b", "type": "transform", "with": {"v": "{{ steps.a.output.x }}"}}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/1/with/v", "steps.a is not upstream of step 'b'");
    }

    [Fact]
    public void Parse_ReferenceToDownstreamStepInCondition_IsNotUpstream()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform", "if": "steps.b.output.x > 1"}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"]}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/0/if", "steps.b is not upstream of step 'a'");
    }

    [Fact]
    public void Parse_ReferenceToItself_IsNotUpstream()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "transform", "with": {"v": "{{ steps.a.output }}"}}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/0/with/v", "not upstream");
    }

    [Fact]
    public void Parse_ReferenceToUnknownStep_SaysSo()
    {
        var result = Definitions.Parse(Definitions.WithSteps("""{"id": "a", "type": "transform", "with": {"v": "{{ steps.zz.output }}"}}"""));

        WorkflowDefinitionParserTests.AssertError(result, "/steps/0/with/v", "no step has the id 'zz'");
    }

    [Fact]
    public void Parse_ArtifactReferencingOwnOutputAndUpstream_IsAccepted()
    {
        var result = Definitions.Parse(Definitions.WithSteps(
            """{"id": "a", "type": "transform"}""",
            """{"id": "b", "type": "transform", "dependsOn": ["a"], "artifacts": [{"name": "r", "type": "json", "value": {"mine": "{{ output }}", "theirs": "{{ steps.a.output }}"}}]}"""));

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
    }

    [Fact]
    public void Parse_TooManySteps_ReportsLimit()
    {
        var steps = Enumerable.Range(0, WorkflowLimits.MaxSteps + 1).Select(i => $$"""{"id": "s{{i}}", "type": "transform"}""").ToArray();

        WorkflowDefinitionParserTests.AssertError(Definitions.Parse(Definitions.WithSteps(steps)), "/steps", "at most 100 steps");
    }

    [Fact]
    public void Parse_TooManyDependencies_ReportsLimit()
    {
        var steps = Enumerable.Range(0, 21).Select(i => $$"""{"id": "s{{i}}", "type": "transform"}""").ToList();
        steps.Add($$"""{"id": "last", "type": "transform", "dependsOn": [{{string.Join(",", Enumerable.Range(0, 21).Select(i => $"\"s{i}\""))}}]}""");

        WorkflowDefinitionParserTests.AssertError(Definitions.Parse(Definitions.WithSteps([.. steps])), "/steps/21/dependsOn", "at most 20");
    }

    [Fact]
    public void Parse_DefinitionOverSizeLimit_IsRefusedBeforeParsing()
    {
        var big = new string('x', WorkflowLimits.MaxDefinitionBytes);
        var json = $$"""{"id": "wf", "name": "x", "description": "{{big}}", "steps": [{"id": "a", "type": "transform"}]}""";

        var result = Definitions.Parse(json);

        WorkflowDefinitionParserTests.AssertError(result, "", "larger than 256 KB");
        Assert.Single(result.Errors);
    }
}
