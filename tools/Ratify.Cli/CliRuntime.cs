using System.CommandLine;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;

namespace Ratify.Cli;

/// <summary>What every command's action shares: the global options, the console, and one error policy.</summary>
internal sealed class CliRuntime(GlobalOptions options, CliConsole console)
{
    /// <summary>The exit code of a failure the CLI did not foresee (a bug): reported on one line, like every other error.</summary>
    public const int Unexpected = 70;

    public GlobalOptions Options => options;

    public CliConsole Console => console;

    public TextWriter Out => console.Out;

    public TextWriter Error => console.Error;

    /// <summary>Whether <c>--json</c> was given.</summary>
    public bool Json(ParseResult result) => result.GetValue(options.Json);

    /// <summary>A client for the URL and key of this invocation.</summary>
    public RatifyClient Client(ParseResult result) => RatifyClient.Create(result.GetValue(options.Url), result.GetValue(options.Key), console);

    /// <summary>Sets <paramref name="action"/> on <paramref name="command"/>, turning every failure into one line on stderr and its exit code.</summary>
    public void SetAction(Command command, Func<ParseResult, CancellationToken, Task<int>> action) =>
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await action(result, cancellationToken).ConfigureAwait(false);
            }
            catch (CliException e)
            {
                await console.Error.WriteLineAsync("error: " + e.Message).ConfigureAwait(false);
                return e.ExitCode;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await console.Error.WriteLineAsync("interrupted").ConfigureAwait(false);
                return 130;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await console.Error.WriteLineAsync($"error: unexpected {e.GetType().Name}: {e.Message}".ReplaceLineEndings(" ")).ConfigureAwait(false);
                return Unexpected;
            }
        });

    /// <summary>Sets an action that calls the API with a client disposed afterwards.</summary>
    public void SetApiAction(Command command, Func<ParseResult, RatifyClient, CancellationToken, Task<int>> action) =>
        SetAction(command, async (result, cancellationToken) =>
        {
            using var client = Client(result);
            return await action(result, client, cancellationToken).ConfigureAwait(false);
        });

    /// <summary>Shows an answer: the server's JSON with <c>--json</c>, otherwise what <paramref name="human"/> writes for people.</summary>
    public async Task<int> ShowAsync(ParseResult result, ApiResponse response, Func<JsonNode, Task> human)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(human);
        if (Json(result))
        {
            await WriteJsonAsync(response).ConfigureAwait(false);
        }
        else
        {
            await human(response.Json).ConfigureAwait(false);
        }

        return ExitCodes.Ok;
    }

    /// <summary>Writes the server's JSON as it came (nothing for an empty answer such as 204).</summary>
    public Task WriteJsonAsync(ApiResponse response) => response.Text.Length == 0 ? Task.CompletedTask : console.Out.WriteLineAsync(response.Text);
}
