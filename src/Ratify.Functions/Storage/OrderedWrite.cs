namespace Ratify.Functions.Storage;

/// <summary>What became of a write through <see cref="OrderedRows"/>.</summary>
public enum OrderedWrite
{
    /// <summary>The row now holds this write.</summary>
    Written,

    /// <summary>Refused: the stored row was written by a later attempt.</summary>
    Older,

    /// <summary>Refused: another execution of the same attempt wrote the row first, and its write stands.</summary>
    Taken,
}
