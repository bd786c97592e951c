extern alias cli;

using System.Diagnostics;
using System.Globalization;
using cli::Ratify.Cli;
using Ratify.Testing;

namespace Ratify.Cli.Tests;

/// <summary>Runs the CLI against the test host: in-process through its entry point, or as the built program in a child process.</summary>
public sealed class CliRunner(string url, string? key)
{
    /// <summary>Runs <paramref name="args"/> through the CLI's entry point with captured output; <c>RATIFY_URL</c> and <c>RATIFY_KEY</c> come from this runner.</summary>
    public async Task<CliResult> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var stdout = new StringWriter(CultureInfo.InvariantCulture);
        return await RunAsync(stdout, cancellationToken, args);
    }

    /// <summary>Runs <paramref name="args"/> in-process, writing stdout to <paramref name="stdout"/> as it goes (a test can read it mid-run).</summary>
    public async Task<CliResult> RunAsync(StringWriter stdout, CancellationToken cancellationToken, params string[] args)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        using var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var console = new CliConsole(TextWriter.Synchronized(stdout), TextWriter.Synchronized(stderr), Environment);
        var code = await CliApp.RunAsync(args, console, cancellationToken);
        return new CliResult(code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs <paramref name="args"/> as a real process (<c>dotnet ratify.dll …</c>), with the URL and key in its environment.</summary>
    public async Task<CliResult> RunProcessAsync(CancellationToken cancellationToken, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ToolPath);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("RATIFY_URL");
        start.Environment.Remove("RATIFY_KEY");
        start.Environment["RATIFY_URL"] = url;
        if (key is not null)
        {
            start.Environment["RATIFY_KEY"] = key;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return new CliResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    /// <summary>A runner with another key (null: none).</summary>
    public CliRunner WithKey(string? other) => new(url, other);

    // The test assembly sits in tests/Ratify.Cli.Tests/bin/{configuration}/{framework}; the tool's own output beside it under tools/.
    private static string ToolPath
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryRoot.Path, "tools", "Ratify.Cli", "bin", output.Parent!.Name, output.Name, "ratify.dll");
        }
    }

    private string? Environment(string name) => name switch
    {
        "RATIFY_URL" => url,
        "RATIFY_KEY" => key,
        _ => null,
    };
}
