using System.Net;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Api;

/// <summary>
/// Secrets are for connector arguments only: elsewhere a reference is refused when the workflow is defined, a secret that is
/// not configured fails its step by name, and whatever a connector hands back with a secret in it is recorded redacted by the
/// app itself (the custom connector here does no redaction of its own).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretsTests(AzuriteFixture azurite)
    : RunsApiTestBase(azurite, new Dictionary<string, string?> { ["Ratify:Secrets:API_TOKEN"] = SecretValue })
{
    private const string SecretValue = "tok_live_7f3a9c2e51";

    [Fact(Timeout = 60_000)]
    public async Task Outputs_errors_and_artifacts_of_a_step_are_recorded_with_the_secret_redacted()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "sec", "name": "Secrets", "steps": [
              {"id": "echo", "connector": "scripted", "with": {"token": "{{secrets.API_TOKEN}}", "note": "used {{secrets.API_TOKEN}}"}},
              {"id": "refused", "connector": "scripted", "dependsOn": ["echo"],
               "with": {"fatal": true, "message": "the server refused token {{secrets.API_TOKEN}}"}}
            ]}
            """);

        var runId = await StartRunAsync(admin, "sec", null);
        var run = await WaitForStatusAsync(admin, runId, "failed");

        Assert.Equal("***", Step(run, "echo")["output"]!["echo"]!["token"]!.GetValue<string>());
        Assert.Equal("the server refused token ***", Step(run, "refused")["error"]!["message"]!.GetValue<string>());
        using var note = await admin.GetAsync($"/v1/runs/{runId}/artifacts/echo/note?raw=true", Timeout);
        Assert.Equal("used ***", await note.Content.ReadAsStringAsync(Timeout));
        using var whole = await admin.GetAsync($"/v1/runs/{runId}", Timeout);
        Assert.DoesNotContain(SecretValue, await whole.Content.ReadAsStringAsync(Timeout), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_secret_that_is_not_configured_fails_its_step_naming_the_secret()
    {
        using var admin = Admin();
        await CreateWorkflowAsync(admin, """
            {"id": "missing", "name": "Missing", "steps": [
              {"id": "call", "connector": "scripted", "with": {"token": "{{secrets.NOT_SET}}"}}
            ]}
            """);

        var run = await WaitForStatusAsync(admin, await StartRunAsync(admin, "missing", null), "failed");

        var error = Step(run, "call")["error"]!;
        Assert.Equal("secret_not_configured", error["code"]!.GetValue<string>());
        Assert.Contains("'NOT_SET'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_secret_outside_connector_arguments_is_refused_with_its_pointer()
    {
        using var admin = Admin();
        using var response = await PostJsonAsync(admin, "/v1/workflows", """
            {"id": "leaky", "name": "Leaky", "steps": [
              {"id": "copy", "type": "transform", "with": {"token": "{{secrets.API_TOKEN}}"}},
              {"id": "call", "connector": "scripted", "dependsOn": ["copy"], "if": "secrets.API_TOKEN == 'x'",
               "with": {"token": "{{secrets.API_TOKEN}}"},
               "artifacts": [{"name": "note", "type": "text", "value": "{{secrets.API_TOKEN}}"}]}
            ]}
            """);

        var pointers = await ProblemPointersAsync(response, HttpStatusCode.UnprocessableEntity, Timeout);
        Assert.Equal(["/steps/0/with/token", "/steps/1/artifacts/0/value", "/steps/1/if"], pointers.Order(StringComparer.Ordinal));
    }
}
