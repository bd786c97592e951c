namespace Ratify.Bench;

/// <summary>One reported figure: its JSON key, how it is shown, and how it compares with the baselines.</summary>
/// <param name="Key">The JSON key (snake_case).</param>
/// <param name="Label">What the table shows.</param>
/// <param name="Unit">The unit of the value.</param>
/// <param name="Time">How the value reads as a time, or <see cref="FigureTime.None"/>.</param>
/// <param name="Target">The goal, when issue 3 sets one.</param>
/// <param name="InJson">False for detail figures that are printed but not written to the JSON file.</param>
internal sealed record Figure(string Key, string Label, string Unit, FigureTime Time = FigureTime.None, FigureTarget? Target = null, bool InJson = true)
{
    /// <summary>The value as milliseconds (per item for a rate), or null when it is not a time.</summary>
    public double? Milliseconds(double value) => Time switch
    {
        FigureTime.Milliseconds => value,
        FigureTime.Seconds => value * 1000,
        FigureTime.PerSecond when value > 0 => 1000 / value,
        _ => null,
    };
}
