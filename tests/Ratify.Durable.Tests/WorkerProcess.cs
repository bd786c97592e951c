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

    /// <summary>The process id, to tell lines printed by this host apart in a failure message.</summary>
    public int Id => _process.Id;

    /// <summary>The partitions this host holds according to its own lines (acquired and not released).</summary>
    public IReadOnlySet<int> Partitions()
    {
        var held = new HashSet<int>();
        foreach (var line in Lines)
        {
            var parts = line.Split(' ');
            if (parts is ["acquired", var acquired])
            {
                held.Add(int.Parse(acquired, CultureInfo.InvariantCulture));
            }
            else if (parts is ["released", var released])
            {
                held.Remove(int.Parse(released, CultureInfo.InvariantCulture));
            }
        }

        return held;
    }

    /// <summary>SIGSTOP: the process stops dead, as in a long GC pause or a stalled VM, and keeps its leases and sockets.</summary>
    public void Freeze() => Signal("STOP");

    /// <summary>SIGCONT: the frozen process runs on from where it stopped.</summary>
    public void Thaw() => Signal("CONT");

    /// <summary>Activities that started in this process and have not ended.</summary>
    public int ActivitiesInFlight =>
        Lines.Count(l => l.StartsWith("start ", StringComparison.Ordinal)) - Lines.Count(l => l.StartsWith("end ", StringComparison.Ordinal));

    /// <summary>SIGKILL: no shutdown code runs, as when a machine dies.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    private void Signal(string signal)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {_process.Id} failed with exit code {kill.ExitCode}.");
        }
    }

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
