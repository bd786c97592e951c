using System.Text.Json.Nodes;

namespace Ratify.Cli.Tests;

[Collection(CliCollection.Name)]
public sealed class AuditCommandsTests(CliHostFixture host) : CliTestBase(host)
{
    [Fact]
    public async Task An_exported_package_verifies_offline_and_a_record_removed_from_it_fails()
    {
        var id = NewId("audit");
        await ApplyAsync(Workflows.Pair(id));
        var runId = (await JsonAsync(Admin, "runs", "start", id, "-i", "dealId=a-1", "-i", "amount=3", "--wait", "30s"))["runId"]!.GetValue<string>();
        var package = FilePath("package.json");

        var exported = await Admin.RunAsync(Timeout, "audit", "export", runId, "-o", package);
        // Verifying needs no server: no URL and no key.
        var offline = new CliRunner("", null);
        var verified = await offline.RunAsync(Timeout, "audit", "verify", package);
        var tampered = JsonNode.Parse(await File.ReadAllTextAsync(package, Timeout))!;
        tampered["records"]!.AsArray().RemoveAt(1);
        var tamperedFile = WriteFile("tampered.json", tampered.ToJsonString());
        var failed = await offline.RunAsync(Timeout, "audit", "verify", tamperedFile, "--json");

        Assert.True(exported.ExitCode == 0, exported.ToString());
        Assert.False(File.Exists(package + ".partial"));
        Assert.True(verified.ExitCode == 0, verified.ToString());
        Assert.StartsWith("verified: ", verified.Stdout, StringComparison.Ordinal);
        Assert.Contains("warning: using the public key inside the package", verified.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, failed.ExitCode);
        Assert.False(JsonNode.Parse(failed.Stdout)!["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Verifying_a_file_that_is_not_a_package_is_a_usage_error()
    {
        var result = await new CliRunner("", null).RunAsync(Timeout, "audit", "verify", WriteFile("other.json", """{"format": "something-else"}"""));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("is not an audit package", result.Stderr, StringComparison.Ordinal);
    }
}
