using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Ratify.Testing;

namespace Ratify.Functions.Tests.Audit;

[Collection(AzuriteCollection.Name)]
public sealed class RunAuditTests(AzuriteFixture azurite) : AuditApiTestBase(azurite)
{
    [Fact]
    public async Task A_finished_run_has_every_event_in_a_sealed_chain_with_its_actor()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);

        var audit = await GetJsonAsync(admin, $"/v1/runs/{runId}/audit?limit=200");
        var records = audit["records"]!.AsArray();
        var types = records.Select(r => r!["type"]!.GetValue<string>()).ToList();

        Assert.Equal("run.started", types[0]);
        Assert.Equal("key", records[0]!["actor"]!["kind"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(records[0]!["actor"]!["id"]!.GetValue<string>()));
        Assert.Equal("run.finished", types[^1]);
        Assert.Equal("completed", records[^1]!["data"]!["status"]!.GetValue<string>());
        // Only the step that stored artifacts wrote a started record ahead of them; the others wrote one record each.
        Assert.Equal(["report"], records.Where(r => r!["type"]!.GetValue<string>() == "step.attempt.started").Select(r => r!["data"]!["stepId"]!.GetValue<string>()));
        Assert.Equal(4, types.Count(t => t == "step.attempt.completed"));
        var artifacts = records.Where(r => r!["type"]!.GetValue<string>() == "artifact.written").ToList();
        Assert.Equal(["data", "draft"], artifacts.Select(a => a!["data"]!["name"]!.GetValue<string>()).Order());
        Assert.All(artifacts, a => Assert.Equal(64, a!["data"]!["sha256"]!.GetValue<string>().Length));
        Assert.Equal(Enumerable.Range(1, records.Count).Select(i => (long)i), records.Select(r => r!["sequence"]!.GetValue<long>()));
        Assert.Equal(records.Count, audit["checkpoints"]!.AsArray()[^1]!["sequence"]!.GetValue<int>());

        // Paging: after the 3rd record, two at a time.
        var page = await GetJsonAsync(admin, $"/v1/runs/{runId}/audit?after=3&limit=2");
        Assert.Equal([4L, 5L], page["records"]!.AsArray().Select(r => r!["sequence"]!.GetValue<long>()));
        Assert.Equal($"/v1/runs/{runId}/audit?after=5&limit=2", page["next"]!.GetValue<string>());

        Assert.True((await VerifyStoredAsync(admin, runId))["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_export_verifies_offline_in_a_separate_process_holding_only_the_package_and_the_public_key()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);
        using var anonymous = Api.CreateClient();
        var publicKey = (await GetJsonAsync(anonymous, "/v1/audit/public-key"))["publicKey"]!.GetValue<string>();
        using var exported = await admin.GetAsync($"/v1/runs/{runId}/export?artifacts=inline", Timeout);
        Assert.Equal(HttpStatusCode.OK, exported.StatusCode);
        var package = JsonNode.Parse(await exported.Content.ReadAsStringAsync(Timeout))!.AsObject();
        Assert.Equal(("ratify-audit-package/1", "completed"), (package["format"]!.GetValue<string>(), package["run"]!["status"]!.GetValue<string>()));
        Assert.Equal(4, package["steps"]!.AsArray().Count(s => s!["outputSha256"] is not null));
        Assert.All(package["artifacts"]!.AsArray(), a => Assert.NotNull(a!["content"]));

        var directory = Directory.CreateTempSubdirectory("ratify-audit-");
        try
        {
            var keyFile = Path.Combine(directory.FullName, "key.pem");
            var packageFile = Path.Combine(directory.FullName, "package.json");
            await File.WriteAllTextAsync(keyFile, publicKey, Timeout);
            await File.WriteAllTextAsync(packageFile, package.ToJsonString(), Timeout);
            var (code, output) = await VerifyOfflineAsync(packageFile, keyFile);
            Assert.True(code == 0, output);

            // The same package with one record removed from the middle fails, naming the record.
            var records = package["records"]!.AsArray();
            records.RemoveAt(5);
            await File.WriteAllTextAsync(packageFile, package.ToJsonString(), Timeout);
            (code, output) = await VerifyOfflineAsync(packageFile, keyFile);
            Assert.Equal(1, code);
            Assert.Contains("record 6 is missing", output, StringComparison.Ordinal);

            using var online = await PostJsonAsync(admin, "/v1/audit/verify", package.ToJsonString());
            var result = JsonNode.Parse(await online.Content.ReadAsStringAsync(Timeout))!;
            Assert.Equal(("missing", 6), (result["failure"]!.GetValue<string>(), result["failedSequence"]!.GetValue<int>()));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Once_the_orchestration_is_purged_the_run_view_reports_the_steps_the_audit_recorded()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);
        var before = await GetJsonAsync(admin, $"/v1/runs/{runId}");

        var purged = await Api.Services.GetRequiredService<DurableTaskClient>().PurgeInstanceAsync(runId, cancellation: Timeout);
        Assert.Equal(1, purged.PurgedInstanceCount);

        var after = await GetJsonAsync(admin, $"/v1/runs/{runId}");
        Assert.Equal("completed", Status(after));
        foreach (var stepId in new[] { "fetch", "left", "right", "report" })
        {
            var step = Step(after, stepId);
            Assert.Equal(("completed", 1), (Status(step), step["attempts"]!.GetValue<int>()));
            Assert.NotNull(step["startedAt"]);
            Assert.Equal(Step(before, stepId)["output"]!.ToJsonString(), step["output"]!.ToJsonString());
        }
    }

    [Fact]
    public async Task Another_tenants_run_audit_and_export_are_404()
    {
        using var admin = Admin();
        var runId = await CompletedPairRunAsync(admin);
        using var other = await ClientWithAsync("other", "runs:read");

        using var audit = await other.GetAsync($"/v1/runs/{runId}/audit", Timeout);
        using var export = await other.GetAsync($"/v1/runs/{runId}/export", Timeout);
        using var verify = await PostJsonAsync(other, "/v1/audit/verify", $$"""{"runId": "{{runId}}"}""");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (audit.StatusCode, export.StatusCode, verify.StatusCode));
    }

    private async Task<(int Code, string Output)> VerifyOfflineAsync(string packageFile, string keyFile)
    {
        // The test assembly sits in tests/Ratify.Functions.Tests/bin/{configuration}/{framework}; the tool beside it under tools/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tool = Path.Combine(RepositoryRoot.Path, "tools", "Ratify.AuditVerify", "bin", output.Parent!.Name, output.Name, "Ratify.AuditVerify.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { tool, packageFile, "--public-key", keyFile })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(Timeout);
        var stderr = process.StandardError.ReadToEndAsync(Timeout);
        await process.WaitForExitAsync(Timeout);
        return (process.ExitCode, await stdout + await stderr);
    }
}
