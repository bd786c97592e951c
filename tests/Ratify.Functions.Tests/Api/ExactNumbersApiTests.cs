using System.Net;
using System.Text.Json.Nodes;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

/// <summary>Numbers pass through a run's templates and transforms with their exact JSON text; arithmetic that overflows fails the step.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ExactNumbersApiTests(AzuriteFixture azurite) : RunsApiTestBase(azurite)
{
    [Fact(Timeout = 60_000)]
    public async Task A_transform_keeps_exact_numbers_and_overflowing_arithmetic_fails_its_step()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "numbers", "name": "Numbers", "steps": [
              {"id": "copy", "type": "transform", "with": {"a": "{{input.a}}", "b": "{{input.b}}", "c": "{{input.c}}", "text": "a={{input.a}}"}},
              {"id": "next", "type": "transform", "dependsOn": ["copy"], "with": {"a": "{{steps.copy.output.a}}"}},
              {"id": "double", "type": "transform", "dependsOn": ["next"], "with": {"c": "{{steps.copy.output.c * 2}}"}}
            ]}
            """);

        using var started = await PostJsonAsync(admin, "/v1/runs",
            """{"workflowId": "numbers", "input": {"a": 9007199254740993, "b": 12345678901234567890, "c": 1e400}}""");
        Assert.Equal(HttpStatusCode.Created, started.StatusCode);
        var runId = JsonNode.Parse(await started.Content.ReadAsStringAsync(Timeout))!["runId"]!.GetValue<string>();
        await WaitForStatusAsync(admin, runId, "failed");

        using var response = await admin.GetAsync($"/v1/runs/{runId}", Timeout);
        var text = await response.Content.ReadAsStringAsync(Timeout);
        Assert.Contains("""{"a":9007199254740993,"b":12345678901234567890,"c":1e400,"text":"a=9007199254740993"}""", text, StringComparison.Ordinal);
        Assert.Contains("""{"a":9007199254740993}""", text, StringComparison.Ordinal);
        var error = Step(JsonNode.Parse(text)!.AsObject(), "double")["error"]!;
        Assert.Equal("expression_error", error["code"]!.GetValue<string>());
        Assert.Contains("beyond the range of a double", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
