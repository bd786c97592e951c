namespace Ratify.Cli;

/// <summary>Where a command writes (stdout for results, stderr for messages) and where it reads settings from.</summary>
/// <param name="Environment">Reads an environment variable; a test passes its own.</param>
internal sealed record CliConsole(TextWriter Out, TextWriter Error, Func<string, string?> Environment)
{
    /// <summary>The process's own console and environment.</summary>
    public static CliConsole System() => new(Console.Out, Console.Error, global::System.Environment.GetEnvironmentVariable);
}
