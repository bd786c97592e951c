using System.CommandLine;
using System.Globalization;
using Ratify.Cli.Api;
using Ratify.Cli.Output;

namespace Ratify.Cli.Commands;

/// <summary><c>--limit</c> and <c>--continuation-token</c> for list commands, which show one page of the server's answer.</summary>
internal sealed class PageOptions
{
    private readonly Option<int?> _limit = new("--limit") { Description = "The most items on the page" };
    private readonly Option<string?> _token = new("--continuation-token") { Description = "Where the previous page ended" };

    public void AddTo(Command command)
    {
        command.Add(_limit);
        command.Add(_token);
    }

    public (string, string?)[] Query(ParseResult result) =>
        [("limit", result.GetValue(_limit)?.ToString(CultureInfo.InvariantCulture)), ("continuationToken", result.GetValue(_token))];

    /// <summary>Tells a person how to read the next page (on stderr, so that stdout stays the table).</summary>
    public async Task WriteNextAsync(CliRuntime cli, ApiResponse response)
    {
        if (Values.Text(response.Json, "continuationToken") is { } next)
        {
            await cli.Error.WriteLineAsync($"more: --continuation-token {next}").ConfigureAwait(false);
        }
    }
}
