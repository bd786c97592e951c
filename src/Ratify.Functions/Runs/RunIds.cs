using System.Globalization;
using System.Security.Cryptography;

namespace Ratify.Functions.Runs;

/// <summary>Run ids that sort newest first: <c>run_</c>, 12 hex digits of inverted time, 6 random hex digits.</summary>
public static class RunIds
{
    private const long MaxMilliseconds = 0xFFFF_FFFF_FFFF;

    public static string New(DateTimeOffset createdAt) =>
        Prefix(createdAt) + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3));

    /// <summary>
    /// The id of the run that <paramref name="identity"/> names (a schedule's tick, a signed delivery): the same identity always gives
    /// the same id, so a second start of it finds the first run's row instead of making another.
    /// </summary>
    public static string Derived(DateTimeOffset at, string identity) =>
        Prefix(at) + Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(identity)))[..6];

    /// <summary>The id prefix of runs created at <paramref name="at"/>: later times give smaller prefixes.</summary>
    public static string Prefix(DateTimeOffset at) =>
        "run_" + (MaxMilliseconds - at.ToUnixTimeMilliseconds()).ToString("x12", CultureInfo.InvariantCulture);

    public static bool IsWellFormed(string runId) =>
        runId.Length == 22 && runId.StartsWith("run_", StringComparison.Ordinal) && runId[4..].All(char.IsAsciiHexDigitLower);
}
