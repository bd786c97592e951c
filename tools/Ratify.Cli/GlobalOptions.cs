using System.CommandLine;

namespace Ratify.Cli;

/// <summary>The options every command takes: where the server is, which key to use, and whether to print JSON.</summary>
internal sealed class GlobalOptions
{
    /// <summary>The environment variable holding the server's base URL.</summary>
    public const string UrlVariable = "RATIFY_URL";

    /// <summary>The environment variable holding the API key.</summary>
    public const string KeyVariable = "RATIFY_KEY";

    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The server's base URL, e.g. http://127.0.0.1:7071 [env: {UrlVariable}]",
        Recursive = true,
    };

    // A flag is visible to other users of the machine in the process list: the environment variable is the safer way.
    public Option<string?> Key { get; } = new("--key")
    {
        Description = $"The API key (prefer the environment variable: arguments are visible to other processes) [env: {KeyVariable}]",
        Recursive = true,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print the server's JSON unchanged instead of tables (for scripts and agents)",
        Recursive = true,
    };
}
