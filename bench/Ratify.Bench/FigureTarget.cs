namespace Ratify.Bench;

/// <summary>A goal a figure should reach (issue 3): at least or at most <paramref name="Bound"/>.</summary>
internal sealed record FigureTarget(double Bound, bool AtLeast)
{
    public bool IsMetBy(double value) => AtLeast ? value >= Bound : value <= Bound;

    public override string ToString() => (AtLeast ? ">= " : "<= ") + Bound.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
}
