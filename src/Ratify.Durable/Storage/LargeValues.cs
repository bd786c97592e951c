namespace Ratify.Durable.Storage;

/// <summary>Size limits shared by the stores.</summary>
internal static class LargeValues
{
    /// <summary>Strings longer than this go to a blob: a table string property holds at most 32 K characters.</summary>
    public const int MaxInlineChars = 30_000;

    /// <summary>Message bodies longer than this go to a blob: a queue message holds 64 KiB after Base64.</summary>
    public const int MaxInlineMessageBytes = 45_000;
}
