namespace Ratify.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class WorkflowCommandsTests(CliHostFixture host) : CliTestBase(host)
{
    [Fact]
    public async Task Apply_creates_a_workflow_then_stores_its_next_version()
    {
        var id = NewId("apply");
        var file = WriteFile("pair.json", Workflows.Pair(id));

        var created = await Admin.RunAsync(Timeout, "workflows", "apply", "-f", file);
        var updated = await Admin.RunAsync(Timeout, "workflows", "apply", "--file", file);
        var shown = await JsonAsync(Admin, "workflows", "get", id, "--version", "1");
        var listed = await Admin.RunAsync(Timeout, "workflows", "list");

        Assert.Equal($"workflow {id} created: version 1", created.Stdout.Trim());
        Assert.Equal($"workflow {id} updated: version 2", updated.Stdout.Trim());
        Assert.Equal((1, 2), (shown["version"]!.GetValue<int>(), shown["latestVersion"]!.GetValue<int>()));
        Assert.Equal(0, listed.ExitCode);
        Assert.StartsWith("ID", listed.Stdout, StringComparison.Ordinal);
        Assert.Contains(listed.Stdout.Split('\n'), line => line.StartsWith(id + " ", StringComparison.Ordinal) && line.Contains(" 2 ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_invalid_definition_is_a_usage_error_naming_the_json_pointer()
    {
        var file = WriteFile("bad.json", $$"""{"id": "{{NewId("bad")}}", "name": "Bad", "steps": [{"id": "one", "type": "no-such-type"}]}""");

        var result = await Admin.RunAsync(Timeout, "workflows", "apply", "-f", file);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Stdout);
        var line = Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: 422 ", line, StringComparison.Ordinal);
        Assert.Contains("/steps/0", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_json_is_a_usage_error_before_any_request()
    {
        var result = await Admin.RunAsync(Timeout, "workflows", "apply", "-f", WriteFile("broken.json", "{\"id\": "));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not valid JSON", result.Stderr, StringComparison.Ordinal);
    }
}
