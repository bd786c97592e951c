using System.Text.Json.Nodes;
using Ratify.Functions.Events;

namespace Ratify.Functions.Tests.Events;

public sealed class RunSnapshotFoldTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Apply_EventsBeforeAStartListingSteps_HaveNoSnapshot()
    {
        var snapshot = RunSnapshotFold.Apply(null, Event(1, "run.started", new JsonObject { ["status"] = "running" }));
        snapshot = RunSnapshotFold.Apply(snapshot, Event(2, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 1 }));

        Assert.Null(snapshot);
    }

    [Fact]
    public void Apply_AStepThroughRetries_CountsAttemptsAndExecutionsAndKeepsTheInlineOutput()
    {
        var snapshot = Fold(
            Start(1),
            Event(2, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 1 }),
            Event(3, "step.retrying", new JsonObject { ["stepId"] = "a", ["attempt"] = 1, ["error"] = new JsonObject { ["code"] = "http_status", ["message"] = "503" } }),
            Event(4, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 2 }),
            Event(5, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 2 }),
            Event(6, "step.completed", new JsonObject { ["stepId"] = "a", ["attempt"] = 2, ["output"] = new JsonObject { ["v"] = 1 }, ["artifacts"] = new JsonArray() }));

        var step = snapshot.Steps[0];
        Assert.Equal((6L, "completed", 2, 2, false, null), (snapshot.Seq, step.Status, step.Attempts, step.Executions, step.OutputOmitted, step.Error));
        Assert.Equal("""{"v":1}""", step.Output!.ToJsonString());
        Assert.Equal(("pending", 0), (snapshot.Steps[1].Status, snapshot.Steps[1].Attempts));
    }

    [Fact]
    public void Apply_LateEventsOfAnEarlierAttemptOrAFinishedAttempt_NeverMoveAStepBack()
    {
        var snapshot = Fold(
            Start(1),
            Event(2, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 2 }),
            Event(3, "step.completed", new JsonObject { ["stepId"] = "a", ["attempt"] = 2, ["output"] = 1 }),
            Event(4, "step.failed", new JsonObject { ["stepId"] = "a", ["attempt"] = 1 }),
            Event(5, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 2 }),
            Event(6, "run.running", new JsonObject { ["status"] = "running" }));

        Assert.Equal(("completed", 2, 2), (snapshot.Steps[0].Status, snapshot.Steps[0].Attempts, snapshot.Steps[0].Executions));
    }

    [Fact]
    public void Apply_AnOutputTooLargeForItsEvent_IsMarkedForTheReaderToFetch()
    {
        var snapshot = Fold(
            Start(1),
            Event(2, "step.started", new JsonObject { ["stepId"] = "a", ["attempt"] = 1 }),
            Event(3, "step.completed", new JsonObject { ["stepId"] = "a", ["attempt"] = 1, ["outputOmitted"] = "too large" }));

        Assert.Equal(("completed", true, null), (snapshot.Steps[0].Status, snapshot.Steps[0].OutputOmitted, snapshot.Steps[0].Output));
    }

    [Fact]
    public void Apply_TheFinalEvent_CorrectsStepsThatPublishedNothingAndMarksReusedOutputs()
    {
        var final = new JsonObject
        {
            ["status"] = "failed",
            ["completedAt"] = T0.AddMinutes(1),
            ["error"] = new JsonObject { ["code"] = "step_failed", ["message"] = "b failed" },
            ["steps"] = new JsonObject
            {
                ["a"] = new JsonObject { ["status"] = "completed", ["attempts"] = 1, ["reusedFrom"] = "run_old" },
                ["b"] = new JsonObject { ["status"] = "skipped", ["attempts"] = 0, ["completedAt"] = T0 },
            },
        };
        var snapshot = Fold(Start(1), Event(2, "run.failed", final), Event(3, "run.running", new JsonObject { ["status"] = "running" }));

        Assert.Equal(("failed", "step_failed", T0.AddMinutes(1)), (snapshot.Status, snapshot.Error?.Code, snapshot.CompletedAt));
        Assert.Equal(("completed", "run_old", true, (int?)null), (snapshot.Steps[0].Status, snapshot.Steps[0].ReusedFrom, snapshot.Steps[0].OutputOmitted, snapshot.Steps[0].Executions));
        Assert.Equal(("skipped", false), (snapshot.Steps[1].Status, snapshot.Steps[1].OutputOmitted));
        Assert.True(snapshot.ArtifactsOmitted);
    }

    [Fact]
    public void Apply_ApprovalEventsAndArtifacts_ShowOnTheirStep()
    {
        var snapshot = Fold(
            Start(1),
            Event(2, "artifact.created", new JsonObject { ["stepId"] = "a", ["name"] = "doc", ["type"] = "markdown", ["mediaType"] = "text/markdown", ["size"] = 3, ["sha256"] = "ab", ["createdAt"] = T0 }),
            Event(3, "approval.requested", new JsonObject { ["stepId"] = "b", ["approvalId"] = "apr_1" }));
        Assert.Equal(("waiting_approval", "pending", 1), (snapshot.Steps[1].Status, snapshot.Steps[1].ApprovalStatus, snapshot.Steps[1].Attempts));
        Assert.Equal("doc", Assert.Single(snapshot.Steps[0].Artifacts).Name);

        snapshot = RunSnapshotFold.Apply(snapshot, Event(4, "approval.resolved", new JsonObject { ["stepId"] = "b", ["approvalId"] = "apr_1", ["status"] = "approved" }))!;
        Assert.Equal("approved", snapshot.Steps[1].ApprovalStatus);
    }

    [Fact]
    public void Write_ASnapshotTooLongForOneProperty_KeepsItsOutputsAsReferences()
    {
        var snapshot = Fold(
            Start(1),
            Event(2, "step.completed", new JsonObject { ["stepId"] = "a", ["attempt"] = 1, ["output"] = new string('x', 20_000) }),
            Event(3, "step.completed", new JsonObject { ["stepId"] = "b", ["attempt"] = 1, ["output"] = new string('y', 20_000) }));

        var text = RunSnapshotText.Write(snapshot);

        Assert.True(text!.Length <= RunSnapshotText.MaxLength);
        var read = RunSnapshotText.Parse(text)!;
        Assert.All(read.Steps, s => Assert.True(s.OutputOmitted && s.Output is null));
        Assert.Equal(3, read.Seq);
    }

    private static RunEvent Start(long seq) => Event(seq, "run.started", new JsonObject
    {
        ["status"] = "running",
        ["workflowId"] = "wf",
        ["version"] = 2,
        ["createdAt"] = T0,
        ["input"] = new JsonObject { ["x"] = 1 },
        ["steps"] = new JsonArray("a", "b"),
    });

    private static RunEvent Event(long seq, string type, JsonObject data) => new(seq, "run_1", type, T0.AddSeconds(seq), data);

    private static RunSnapshot Fold(params RunEvent[] events) =>
        events.Aggregate((RunSnapshot?)null, RunSnapshotFold.Apply) ?? throw new InvalidOperationException("no snapshot");
}
