using System.Globalization;

namespace Ratify.Functions.Events;

/// <summary>Row keys of the Events table; numbers are zero-padded so that keys sort as numbers.</summary>
internal static class EventKeys
{
    /// <summary>Prefix of the tenant feed's rows.</summary>
    public const string FeedPrefix = "f:";

    /// <summary>The tenant feed's head row.</summary>
    public const string FeedHead = "h:f";

    /// <summary>Sorts after every padded number: the exclusive upper bound of a sequence's range.</summary>
    public const string AfterDigits = "~";

    /// <summary>Prefix of one run's rows.</summary>
    public static string RunPrefix(string runId) => "r:" + runId + ":";

    /// <summary>The run's head row.</summary>
    public static string RunHead(string runId) => "h:r:" + runId;

    /// <summary>A position in a sequence as a row key suffix.</summary>
    public static string Number(long value) => value.ToString("D19", CultureInfo.InvariantCulture);
}
