using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Functions.Events;
using Ratify.Functions.Tests.Api;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Events;

/// <summary>A start that waited answers from the snapshot its host wrote with the run's final event, and that answer is the run as a later read finds it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WaitedAnswerTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact]
    public async Task A_waited_start_answers_with_the_run_exactly_as_it_reads_afterwards()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, PairWorkflow);

        using var started = await PostJsonAsync(admin, "/v1/runs?wait=20s", """{"workflowId": "pair", "input": {"dealId": "D-7", "amount": 3}}""");
        var text = await started.Content.ReadAsStringAsync(Timeout);
        Assert.True(started.StatusCode == HttpStatusCode.Created, $"{(int)started.StatusCode}: {text}");
        var answer = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("completed", Status(answer));
        var runId = answer["runId"]!.GetValue<string>();
        Assert.NotNull(Services.GetRequiredService<RunEventLog>().EndedSnapshot("default", runId));

        var read = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.True(JsonNode.DeepEquals(read, answer), $"waited: {answer.ToJsonString()}\nread:   {read.ToJsonString()}");
    }
}
