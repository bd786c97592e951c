using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
namespace Ratify.Testing;

/// <summary>
/// The real host in a child process, run from its build output as the run script runs it, on a free loopback port with
/// its own fresh task hub and a generated bootstrap admin key; killed, and its hub deleted, when disposed.
/// </summary>
public sealed class RatifyHostProcess : IAsyncDisposable
{
    private const string HostAssembly = "Ratify.Functions.dll";
    private const int OutputLinesKept = 30;
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan HealthPoll = TimeSpan.FromMilliseconds(100);
    private readonly Process _process;
    private readonly string _connectionString;
    private readonly ConcurrentQueue<string> _output = new();
    private int _disposed;

    private RatifyHostProcess(Process process, string connectionString, string hub, Uri baseAddress, string adminKey)
    {
        _process = process;
        _connectionString = connectionString;
        Hub = hub;
        Client = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
    }

    public string Hub { get; }

    /// <summary>A client for the host's API, authenticated with the bootstrap admin key.</summary>
    public HttpClient Client { get; }

    /// <summary>
    /// Where the host's assembly is built: src/Ratify.Functions/bin/&lt;configuration&gt;/&lt;framework&gt;, in the configuration and
    /// framework of the caller's own output folder (its project references the host, so that builds it the same way).
    /// </summary>
    public static string AssemblyPath
    {
        get
        {
            var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            return Path.Combine(RepositoryRoot.Path, "src", "Ratify.Functions", "bin", output.Parent!.Name, output.Name, HostAssembly);
        }
    }

    /// <summary>Starts the host against <paramref name="connectionString"/> and waits until <c>GET /healthz</c> answers 200.</summary>
    /// <param name="settings">Further environment settings of the host (e.g. <c>Ratify__Outbound__AllowedHosts</c>).</param>
    public static async Task<RatifyHostProcess> StartAsync(string connectionString, CancellationToken cancellation, IReadOnlyDictionary<string, string>? settings = null)
    {
        var assembly = AssemblyPath;
        if (!File.Exists(assembly))
        {
            throw new InvalidOperationException($"The host is not built: {assembly} was not found.");
        }

        var port = FreePort.Next();
        var hub = "host" + Guid.NewGuid().ToString("N")[..12];
        var adminKey = "sk_ratify_" + Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        start.Environment["AzureWebJobsStorage"] = connectionString;
        start.Environment["ASPNETCORE_URLS"] = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}");
        start.Environment["Ratify__BootstrapAdminKey"] = adminKey;
        start.Environment["extensions__durableTask__hubName"] = hub;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        // The clients (the benchmark's many, a test's few) use one key, far above the per-key limit a production host keeps.
        start.Environment["Ratify__RateLimits__KeyRequestsPerSecond"] = "0";

        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet could not be started");
        var host = new RatifyHostProcess(process, connectionString, hub, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")), adminKey);
        process.OutputDataReceived += (_, e) => host.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => host.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await host.WaitUntilHealthyAsync(cancellation);
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }

        return host;
    }

    /// <summary>The processor time the host has used so far (all its threads, both cores).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>The host's last lines of output, for an error message.</summary>
    public string RecentOutput => string.Join(Environment.NewLine, _output);

    /// <summary>Fails with the host's recent output when the process has exited.</summary>
    public void EnsureRunning()
    {
        if (_process.HasExited)
        {
            throw new InvalidOperationException($"The host exited with code {_process.ExitCode}:{Environment.NewLine}{RecentOutput}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        Client.Dispose();
        Kill();
        _process.Dispose();
        await HubStorage.DeleteAsync(_connectionString, Hub);
    }

    private async Task WaitUntilHealthyAsync(CancellationToken cancellation)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            EnsureRunning();
            try
            {
                using var response = await Client.GetAsync(new Uri("healthz", UriKind.Relative), cancellation);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (started.Elapsed > StartTimeout)
            {
                throw new TimeoutException($"The host did not answer GET /healthz with 200 within {StartTimeout.TotalSeconds:0} s:{Environment.NewLine}{RecentOutput}");
            }

            await Task.Delay(HealthPoll, cancellation);
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLinesKept && _output.TryDequeue(out _))
        {
        }
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Kill();
}
