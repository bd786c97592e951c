using System.CommandLine;

namespace Ratify.Cli.Commands;

/// <summary>The options that give a run its input: <c>--input key=value</c> (repeatable) and <c>--input-file</c>.</summary>
internal static class InputOptions
{
    public static Option<string[]> Pairs() => new("--input", "-i")
    {
        Description = "An input field as key=value; the value is JSON when it parses as JSON (42, true, [1]), a string otherwise. Repeatable; wins over --input-file",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<FileInfo?> File() => new("--input-file") { Description = "A JSON object file with the input" };
}
