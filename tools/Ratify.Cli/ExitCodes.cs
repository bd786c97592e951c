namespace Ratify.Cli;

/// <summary>The exit codes scripts can rely on; the README tables them.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked (a waited-for or watched run completed; an audit package verified).</summary>
    public const int Ok = 0;

    /// <summary>The waited-for or watched run failed or was cancelled, or an audit package failed verification.</summary>
    public const int Failed = 1;

    /// <summary>The command line, a file it names, or the request it made was invalid (HTTP 400, 406, 413, 422).</summary>
    public const int Usage = 2;

    /// <summary>The workflow, run, approval or key does not exist in the key's tenant (HTTP 404).</summary>
    public const int NotFound = 3;

    /// <summary>The key is missing, wrong or revoked (HTTP 401), or lacks the scope (HTTP 403).</summary>
    public const int Auth = 4;

    /// <summary>The resource is not in a state that allows the request (HTTP 409, 412), e.g. cancelling a finished run.</summary>
    public const int Conflict = 5;

    /// <summary>The server could not be reached, timed out, or answered with an error of its own (HTTP 429, 5xx).</summary>
    public const int Unavailable = 6;

    /// <summary><c>runs start --wait</c> ended before the run did; the run goes on.</summary>
    public const int StillRunning = 7;

    /// <summary>The exit code for an HTTP error status.</summary>
    public static int ForStatus(int status) => status switch
    {
        401 or 403 => Auth,
        404 => NotFound,
        409 or 412 => Conflict,
        429 or >= 500 => Unavailable,
        _ => Usage,
    };
}
