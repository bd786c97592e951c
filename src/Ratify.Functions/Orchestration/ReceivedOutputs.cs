using Ratify.Functions.Workflows;

namespace Ratify.Functions.Orchestration;

/// <summary>The small outputs the orchestrator received from completed step attempts, handed on to the attempts that read them.</summary>
/// <remarks>
/// Filled only from outcomes recorded in the run's history, so a replay rebuilds it exactly and the attempts it schedules carry
/// the same inputs. An output received is the one the step's current-output row holds: an attempt reports it only when its own
/// write became current, and a current output is never replaced by another execution of the same attempt.
/// </remarks>
internal sealed class ReceivedOutputs
{
    /// <summary>The most output JSON (in characters) one attempt carries; referenced outputs beyond it are read from storage.</summary>
    public const int MaxCarriedChars = 32 * 1024;

    private readonly Dictionary<string, string> _outputs = new(StringComparer.Ordinal);

    /// <summary>Keeps the output a completed attempt reported.</summary>
    public void Record(string stepId, StepOutcome outcome)
    {
        if (outcome.Kind == StepOutcome.CompletedKind && outcome.OutputJson is { } json)
        {
            _outputs[stepId] = json;
        }
    }

    /// <summary>The received outputs <paramref name="step"/>'s templates and condition read; null when there are none to carry.</summary>
    public IReadOnlyDictionary<string, string>? For(StepDefinition step)
    {
        if (_outputs.Count == 0 || StepReferences.Of(step) is not { Count: > 0 } referenced)
        {
            return null; // an unparseable expression (null) makes the step read every stored output anyway
        }

        Dictionary<string, string>? carried = null;
        var chars = 0;
        foreach (var stepId in referenced.Order(StringComparer.Ordinal))
        {
            if (_outputs.TryGetValue(stepId, out var json) && chars + json.Length <= MaxCarriedChars)
            {
                (carried ??= new Dictionary<string, string>(StringComparer.Ordinal))[stepId] = json;
                chars += json.Length;
            }
        }

        return carried;
    }
}
