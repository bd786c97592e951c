using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Ratify.Testing;

/// <summary>
/// Starts one real Azurite (from the repository's node_modules) on free loopback ports for a test
/// assembly, in memory, and stops it when the tests are done.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private Process? _process;

    /// <summary>The Blob service port.</summary>
    public int BlobPort { get; } = FreePort.Next();

    /// <summary>The Queue service port.</summary>
    public int QueuePort { get; } = FreePort.Next();

    /// <summary>The Table service port.</summary>
    public int TablePort { get; } = FreePort.Next();

    /// <summary>A connection string for this Azurite (the development account on these ports).</summary>
    public string ConnectionString =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=" + AccountKey + ";" +
        $"BlobEndpoint=http://127.0.0.1:{BlobPort}/devstoreaccount1;" +
        $"QueueEndpoint=http://127.0.0.1:{QueuePort}/devstoreaccount1;" +
        $"TableEndpoint=http://127.0.0.1:{TablePort}/devstoreaccount1;";

    /// <summary>The CPU time the Azurite process has used so far (zero before it starts): what storage costs, for the benchmark.</summary>
    public TimeSpan ProcessorTime => _process is { HasExited: false } process ? process.TotalProcessorTime : TimeSpan.Zero;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var azurite = Path.Combine(RepositoryRoot.Path, "node_modules", "azurite", "dist", "src", "azurite.js");
        if (!File.Exists(azurite))
        {
            throw new InvalidOperationException("Azurite is not installed: run `npm ci` in the repository root (scripts/test.sh does).");
        }

        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            azurite, "--inMemoryPersistence", "--skipApiVersionCheck", "--loose", "--silent", "--disableTelemetry",
            "--blobHost", "127.0.0.1", "--blobPort", BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await IsListeningAsync(port))
            {
                if (_process.HasExited || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"Azurite did not start listening on port {port}.");
                }

                await Task.Delay(50);
            }
        }
    }

    /// <summary>
    /// Freezes the Azurite process (SIGSTOP): connections are still accepted by the kernel, but nothing is answered, as when a
    /// storage account stops responding. Start a dedicated fixture for this, so that no other test is frozen with it.
    /// </summary>
    public Task FreezeAsync() => SignalAsync("-STOP");

    /// <summary>Lets a frozen Azurite run again (SIGCONT); it answers what it received meanwhile.</summary>
    public Task ThawAsync() => SignalAsync("-CONT");

    /// <inheritdoc />
    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        return Task.CompletedTask;
    }

    private async Task SignalAsync(string signal)
    {
        var process = _process ?? throw new InvalidOperationException("Azurite has not been started.");
        var start = new ProcessStartInfo("kill") { UseShellExecute = false };
        start.ArgumentList.Add(signal);
        start.ArgumentList.Add(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var kill = Process.Start(start) ?? throw new InvalidOperationException("kill could not be started");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill {signal} {process.Id} exited with {kill.ExitCode}.");
        }
    }

    private static async Task<bool> IsListeningAsync(int port)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
