using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Converters;
using Ratify.Functions.Orchestration;
using Ratify.Functions.Runs;

namespace Ratify.Functions.Tests.Api;

public sealed class LiveRunTests
{
    private static readonly DateTimeOffset Started = new(2025, 1, 31, 9, 0, 0, TimeSpan.Zero);
    private static readonly JsonDataConverter Converter = new(new JsonSerializerOptions(JsonSerializerDefaults.Web));
    private static readonly RunRecord Row = new("run_000000000000abcdef", "default", "wf", 1, RunStatuses.Running, null, Started, null, null, null, "key_1");

    [Fact]
    public void Of_NoOrchestration_TakesTheRow()
    {
        var failed = Row with { Status = RunStatuses.Failed, Error = new RunError(RunLauncher.StartFailedCode, "x"), CompletedAt = Started };

        var live = LiveRun.Of(failed, null);

        Assert.Equal((RunStatuses.Failed, RunLauncher.StartFailedCode, Started), (live.Status, live.Error?.Code, live.CompletedAt));
        Assert.True(live.IsSettled);
    }

    [Fact]
    public void Of_SuspendedInstance_IsPausedWithoutError()
    {
        var live = LiveRun.Of(Row, Instance(OrchestrationRuntimeStatus.Suspended, Progress(RunStatuses.Running)));

        Assert.Equal((RunStatuses.Paused, null, null), (live.Status, live.Error, live.CompletedAt));
        Assert.False(live.IsSettled);
    }

    [Fact]
    public void Of_RunningInstance_TakesTheOrchestratorsProgress_OrTheRowBeforeItsFirstProgress()
    {
        Assert.Equal(RunStatuses.WaitingApproval, LiveRun.Of(Row, Instance(OrchestrationRuntimeStatus.Running, Progress(RunStatuses.WaitingApproval))).Status);
        Assert.Equal(RunStatuses.Running, LiveRun.Of(Row, Instance(OrchestrationRuntimeStatus.Pending, null)).Status);
    }

    [Fact]
    public void Of_FinalProgressWhileTheOrchestrationIsStillFinishing_IsFinalButNotSettled()
    {
        var error = new RunError("cancelled", "stop");

        var live = LiveRun.Of(Row, Instance(OrchestrationRuntimeStatus.Running, Progress(RunStatuses.Cancelled, error)));

        Assert.Equal((RunStatuses.Cancelled, error), (live.Status, live.Error));
        Assert.NotNull(live.CompletedAt);
        Assert.False(live.IsSettled);
    }

    [Fact]
    public void Of_OrchestrationThatStoppedWithoutFinalProgress_IsFailedOrCancelledWithoutItsInternals()
    {
        var crashed = Instance(OrchestrationRuntimeStatus.Failed, Progress(RunStatuses.Running),
            new TaskFailureDetails("System.NullReferenceException", "Object reference not set", "at Secret.Place()", null, null));

        var failed = LiveRun.Of(Row, crashed);
        var terminated = LiveRun.Of(Row, Instance(OrchestrationRuntimeStatus.Terminated, null));

        Assert.Equal((RunStatuses.Failed, "orchestration_failed"), (failed.Status, failed.Error?.Code));
        Assert.DoesNotContain("NullReference", failed.Error!.Message, StringComparison.Ordinal);
        Assert.Equal((RunStatuses.Cancelled, "terminated"), (terminated.Status, terminated.Error?.Code));
    }

    [Fact]
    public void Of_ARetriedRun_DoesNotShowThePreviousExecutionsError()
    {
        var reopened = Row with { Status = RunStatuses.Running, Error = null };

        var live = LiveRun.Of(reopened, Instance(OrchestrationRuntimeStatus.Pending, null));

        Assert.Equal((RunStatuses.Running, null, null), (live.Status, live.Error, live.CompletedAt));
    }

    private static RunProgress Progress(string status, RunError? error = null) =>
        new(status, new Dictionary<string, StepProgress>(), error);

    private static OrchestrationMetadata Instance(OrchestrationRuntimeStatus status, RunProgress? progress, TaskFailureDetails? failure = null) =>
        new("RunOrchestrator", Row.RunId)
        {
            FailureDetails = failure,
            DataConverter = Converter,
            RuntimeStatus = status,
            CreatedAt = Started,
            LastUpdatedAt = Started.AddMinutes(1),
            SerializedCustomStatus = Converter.Serialize(progress),
        };
}
