namespace Ratify.Functions.Workflows;

/// <summary>A template string split into text and expressions.</summary>
/// <param name="Segments">The pieces in order.</param>
/// <param name="Whole">The expression when the string is exactly one <c>{{ … }}</c>: it keeps the value's JSON type.</param>
internal sealed record ParsedTemplate(IReadOnlyList<TemplateSegment> Segments, CompiledExpression? Whole)
{
    public bool HasExpressions => Segments.Any(s => s.Expression is not null);

    public IEnumerable<CompiledExpression> Expressions => Segments.Where(s => s.Expression is not null).Select(s => s.Expression!);

    /// <summary>Splits <paramref name="template"/>; errors name each bad segment.</summary>
    public static ParsedTemplate? Parse(string template, ExpressionRoots allowed, List<string> errors)
    {
        var segments = new List<TemplateSegment>();
        var position = 0;
        var failed = false;
        while (position < template.Length)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                segments.Add(new TemplateSegment(template[position..], null));
                break;
            }

            if (open > position)
            {
                segments.Add(new TemplateSegment(template[position..open], null));
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add($"'{{{{' at character {open} is not closed with '}}}}'");
                return null;
            }

            var compiled = ExpressionCompiler.Compile(template[(open + 2)..close], allowed, out var expressionErrors);
            errors.AddRange(expressionErrors);
            failed |= compiled is null;
            segments.Add(new TemplateSegment(null, compiled));
            position = close + 2;
        }

        if (failed)
        {
            return null;
        }

        var expressions = segments.Where(s => s.Expression is not null).ToList();
        var whole = expressions.Count == 1 && segments.All(s => s.Expression is not null || string.IsNullOrWhiteSpace(s.Text))
            ? expressions[0].Expression
            : null;
        return new ParsedTemplate(segments, whole);
    }
}
