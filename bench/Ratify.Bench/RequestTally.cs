namespace Ratify.Bench;

/// <summary>How many requests of one kind were made, and their summed duration.</summary>
internal readonly record struct RequestTally(int Count, double Seconds)
{
    public RequestTally Add(double seconds) => new(Count + 1, Seconds + seconds);
}
