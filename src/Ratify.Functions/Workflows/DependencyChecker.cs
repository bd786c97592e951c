namespace Ratify.Functions.Workflows;

/// <summary>Checks the steps as a graph: unique ids, known dependencies, no cycles, and references only to upstream steps.</summary>
internal sealed class DependencyChecker
{
    private readonly Dictionary<string, List<StepEdge>> _edges = new(StringComparer.Ordinal);
    private readonly List<DefinitionError> _errors;

    private DependencyChecker(List<DefinitionError> errors) => _errors = errors;

    public static void Check(IReadOnlyList<StepInfo> steps, List<DefinitionError> errors) =>
        new DependencyChecker(errors).Run(steps);

    private void Run(IReadOnlyList<StepInfo> steps)
    {
        var firstIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var step in steps.Where(s => s.Id is not null))
        {
            if (firstIndex.TryAdd(step.Id!, step.Index))
            {
                _edges[step.Id!] = [];
            }
            else
            {
                Error($"/steps/{step.Index}/id", $"step id '{step.Id}' is already used by /steps/{firstIndex[step.Id!]}");
            }
        }

        foreach (var step in steps.Where(s => s.Id is not null))
        {
            foreach (var edge in step.DependsOn)
            {
                if (_edges.ContainsKey(edge.Target))
                {
                    // Steps that share an id are one node: their dependencies add up.
                    _edges[step.Id!].Add(edge);
                }
                else
                {
                    Error(edge.Pointer, $"dependsOn names '{edge.Target}', but no step has that id");
                }
            }
        }

        FindCycles();
        foreach (var step in steps.Where(s => s.Id is not null))
        {
            CheckReferences(step);
        }
    }

    private void FindCycles()
    {
        var state = new Dictionary<string, bool>(StringComparer.Ordinal); // false: on the path, true: done
        var path = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Visit(string id)
        {
            state[id] = false;
            path.Add(id);
            foreach (var edge in _edges[id])
            {
                if (!state.TryGetValue(edge.Target, out var done))
                {
                    Visit(edge.Target);
                }
                else if (!done)
                {
                    var cycle = path.Skip(path.IndexOf(edge.Target)).Append(edge.Target).ToList();
                    if (reported.Add(string.Join(",", cycle.Skip(1).Order(StringComparer.Ordinal))))
                    {
                        Error(edge.Pointer, "dependency cycle: " + string.Join(" -> ", cycle));
                    }
                }
            }

            path.RemoveAt(path.Count - 1);
            state[id] = true;
        }

        foreach (var id in _edges.Keys.Where(id => !state.ContainsKey(id)).ToList())
        {
            Visit(id);
        }
    }

    private void CheckReferences(StepInfo step)
    {
        if (step.References.Count == 0)
        {
            return;
        }

        var upstream = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([step.Id!]);
        while (pending.TryPop(out var id))
        {
            foreach (var edge in _edges[id])
            {
                if (upstream.Add(edge.Target))
                {
                    pending.Push(edge.Target);
                }
            }
        }

        foreach (var reference in step.References)
        {
            if (!_edges.ContainsKey(reference.Target))
            {
                Error(reference.Pointer, $"steps.{reference.Target}: no step has the id '{reference.Target}'");
            }
            else if (!upstream.Contains(reference.Target))
            {
                Error(reference.Pointer, $"steps.{reference.Target} is not upstream of step '{step.Id}': add '{reference.Target}' to its dependsOn (directly or through another step)");
            }
        }
    }

    private void Error(string pointer, string message) => _errors.Add(new DefinitionError(pointer, message));
}
