using Ratify.Cli;

// Ctrl+C cancels the running command (a watch, a wait) instead of killing the process mid-write.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await CliApp.RunAsync(args, CliConsole.System(), cancellation.Token);
