namespace Ratify.Bench;

/// <summary>How a figure reads as a time, so that it can be compared with the storage round trips.</summary>
internal enum FigureTime
{
    /// <summary>Not a time (a count, a ratio, a size).</summary>
    None,

    /// <summary>Milliseconds.</summary>
    Milliseconds,

    /// <summary>Seconds.</summary>
    Seconds,

    /// <summary>A rate: the time of one item is its inverse.</summary>
    PerSecond,
}
