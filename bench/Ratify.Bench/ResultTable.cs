using System.Globalization;
using System.Text;
using Ratify.Bench.Scenarios;

namespace Ratify.Bench;

/// <summary>Prints every figure with its runs, its time in baseline storage round trips, and its target.</summary>
internal static class ResultTable
{
    private static readonly string[] Headers = ["figure", "median", "unit", "runs", "ms each", "table writes", "queue rts", "target"];

    public static string Format(double value) => value.ToString(
        Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);

    public static string Render(IReadOnlyList<ScenarioOutcome> outcomes)
    {
        var baseline = outcomes.FirstOrDefault(o => o.Scenario is BaselineScenario);
        var tableWrite = baseline?.Median(BaselineScenario.TableWriteKey);
        var queueRoundTrip = baseline?.Median(BaselineScenario.QueueRoundTripKey);

        var rows = new List<string[]>();
        var failures = new List<string>();
        foreach (var outcome in outcomes)
        {
            foreach (var figure in outcome.AllFigures)
            {
                rows.Add(Row(outcome, figure, tableWrite, queueRoundTrip));
            }

            if (outcome.Error is { } error)
            {
                failures.Add($"{outcome.Scenario.Name} FAILED: {error}");
            }
        }

        var widths = Enumerable.Range(0, Headers.Length).Select(c => rows.Select(r => r[c].Length).Append(Headers[c].Length).Max()).ToArray();
        var text = new StringBuilder();
        text.AppendLine(Line(Headers, widths));
        text.AppendLine(Line([.. widths.Select(w => new string('-', w))], widths));
        foreach (var row in rows)
        {
            text.AppendLine(Line(row, widths));
        }

        text.AppendLine();
        text.AppendLine("ms each: the time of one item (a step, an orchestration at that throughput, the whole fan-out, one latency);");
        text.AppendLine("table writes / queue rts: that time in baseline round trips measured in the same run on the same Azurite.");
        foreach (var failure in failures)
        {
            text.AppendLine(failure);
        }

        return text.ToString();
    }

    private static string[] Row(ScenarioOutcome outcome, Figure figure, double? tableWrite, double? queueRoundTrip)
    {
        var median = outcome.Median(figure.Key);
        if (median is not { } value)
        {
            return [figure.Label, "n/a", figure.Unit, string.Empty, string.Empty, string.Empty, string.Empty, figure.Target?.ToString() ?? string.Empty];
        }

        var runs = string.Join(" / ", outcome.Runs[figure.Key].Select(Format));
        var milliseconds = figure.Milliseconds(value);
        var target = figure.Target is { } t ? $"{t} {(t.IsMetBy(value) ? "met" : "NOT MET")}" : string.Empty;
        return
        [
            figure.Label,
            Format(value),
            figure.Unit,
            runs,
            milliseconds is { } ms ? Format(ms) : string.Empty,
            milliseconds is { } a && tableWrite is > 0 ? Format(a / tableWrite.Value) : string.Empty,
            milliseconds is { } b && queueRoundTrip is > 0 ? Format(b / queueRoundTrip.Value) : string.Empty,
            target,
        ];
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((cell, c) => c is 0 or 2 or 3 or 7 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd();
}
