using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Ratify.Durable.Tests;

/// <summary>A Ratify.Durable.TestWorker running as its own OS process, with its output lines collected.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Lines { get; } = new();

    public static WorkerProcess Start(string connectionString, string hub, int partitions)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            Path.Combine(AppContext.BaseDirectory, "Ratify.Durable.TestWorker.dll"), connectionString, hub, partitions.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var worker = new WorkerProcess(Process.Start(start)!);
        worker._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker.Lines.Enqueue(e.Data);
            }
        };
        worker._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                worker.Lines.Enqueue("stderr: " + e.Data);
            }
        };
        worker._process.BeginOutputReadLine();
        worker._process.BeginErrorReadLine();
        return worker;
    }

    public int Acquired => Lines.Count(l => l.StartsWith("acquired ", StringComparison.Ordinal));

    /// <summary>Activities that started in this process and have not ended.</summary>
    public int ActivitiesInFlight =>
        Lines.Count(l => l.StartsWith("start ", StringComparison.Ordinal)) - Lines.Count(l => l.StartsWith("end ", StringComparison.Ordinal));

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }
}
