namespace Ratify.Functions.Workflows;

/// <summary>Bounds on one sandboxed evaluation.</summary>
/// <remarks>
/// Jint checks its time, memory and statement limits between statements, and an expression is a
/// single statement: what really bounds an expression is the whitelist (no loops, no calls, so its
/// cost grows only with its length and its data) and <see cref="MaxResultChars"/>. The Jint limits
/// stay on as a second line of defence.
/// </remarks>
public sealed record ExpressionLimits
{
    /// <summary>The default bounds.</summary>
    public static ExpressionLimits Default { get; } = new();

    /// <summary>Wall-clock time per evaluation. Default 1 s.</summary>
    /// <remarks>
    /// A whitelisted expression takes well under a millisecond once warm, so this is only a backstop; it is
    /// generous because a wall-clock limit also counts GC pauses and CPU starvation on a busy host, and a
    /// spurious timeout would fail a healthy run.
    /// </remarks>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes allocated per evaluation. Default 4 MB.</summary>
    public long MemoryBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Statements per evaluation. Default 100.</summary>
    public int MaxStatements { get; init; } = 100;

    /// <summary>Call depth. Default 16.</summary>
    public int MaxRecursion { get; init; } = 16;

    /// <summary>Largest array the script may create. Default 100,000.</summary>
    public uint MaxArraySize { get; init; } = 100_000;

    /// <summary>Longest rendered template, in characters of text or of JSON. Default 4 Mi.</summary>
    public int MaxResultChars { get; init; } = 4 * 1024 * 1024;

    /// <summary>Deepest JSON value handed to the script. Default 128.</summary>
    public int MaxJsonDepth { get; init; } = 128;
}
