namespace Ratify.Cli;

/// <summary>A failure the CLI reports as one line on stderr and an exit code; never a stack trace.</summary>
internal sealed class CliException(int exitCode, string message) : Exception(message)
{
    /// <summary>The process exit code (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>A usage error: a bad flag value, or a file that cannot be read.</summary>
    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
