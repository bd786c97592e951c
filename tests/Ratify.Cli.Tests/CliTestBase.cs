using System.Text.Json.Nodes;

namespace Ratify.Cli.Tests;

/// <summary>A CLI test: the shared host, a runner with the admin key, a 60 s timeout, and a folder for files that is removed afterwards.</summary>
public abstract class CliTestBase : IDisposable
{
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("ratify-cli-tests-");

    protected CliTestBase(CliHostFixture host)
    {
        Host = host;
        Admin = new CliRunner(host.Url, host.AdminKey);
    }

    protected CliHostFixture Host { get; }

    /// <summary>The CLI with the bootstrap admin key.</summary>
    protected CliRunner Admin { get; }

    protected CancellationToken Timeout => _timeout.Token;

    /// <summary>A workflow id no other test uses.</summary>
    protected static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>Writes <paramref name="content"/> to a file in this test's folder and returns its path.</summary>
    protected string WriteFile(string name, string content)
    {
        var path = Path.Combine(_files.FullName, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A path in this test's folder.</summary>
    protected string FilePath(string name) => Path.Combine(_files.FullName, name);

    /// <summary>Applies <paramref name="definition"/> with the CLI and checks that it succeeded.</summary>
    protected async Task ApplyAsync(string definition)
    {
        var result = await Admin.RunAsync(Timeout, "workflows", "apply", "-f", WriteFile($"{Guid.NewGuid():N}.json", definition));
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    /// <summary>Runs the CLI with <c>--json</c>, checks it succeeded, and parses stdout.</summary>
    protected async Task<JsonNode> JsonAsync(CliRunner runner, params string[] args)
    {
        var result = await runner.RunAsync(Timeout, [.. args, "--json"]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return JsonNode.Parse(result.Stdout)!;
    }

    /// <summary>Reads the run with the CLI until <paramref name="done"/> holds.</summary>
    protected Task<JsonNode> WaitForRunAsync(string runId, Func<JsonNode, bool> done) =>
        EventuallyAsync(async () => await JsonAsync(Admin, "runs", "get", runId) is var run && done(run) ? run : null);

    /// <summary>Calls <paramref name="probe"/> until it returns a value, with a growing delay between calls, bounded by the test's timeout.</summary>
    protected async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe)
        where T : class
    {
        var delay = TimeSpan.FromMilliseconds(10);
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(delay, Timeout);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 250));
        }
    }

    public void Dispose()
    {
        _timeout.Dispose();
        _files.Delete(recursive: true);
        GC.SuppressFinalize(this);
    }
}
