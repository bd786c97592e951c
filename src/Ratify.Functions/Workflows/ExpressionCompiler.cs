using System.Globalization;
using System.Text;
using Acornima;
using Acornima.Ast;

namespace Ratify.Functions.Workflows;

/// <summary>
/// Parses one expression with Acornima, refuses every construct outside a small whitelist
/// (paths, literals, operators, <c>? :</c>), and reprints it with null-safe member access.
/// </summary>
internal sealed class ExpressionCompiler
{
    private static readonly ParserOptions ParserOptions = new() { EcmaVersion = EcmaVersion.Latest };

    private readonly ExpressionRoots _allowed;
    private readonly List<string> _errors = [];
    private readonly HashSet<string> _steps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _secrets = new(StringComparer.Ordinal);
    private readonly StringBuilder _source = new();
    private ExpressionRoots _used;

    private ExpressionCompiler(ExpressionRoots allowed) => _allowed = allowed;

    /// <summary>Compiles <paramref name="text"/>; on failure <paramref name="errors"/> says why and the result is null.</summary>
    public static CompiledExpression? Compile(string text, ExpressionRoots allowed, out IReadOnlyList<string> errors)
    {
        var compiler = new ExpressionCompiler(allowed);
        var result = compiler.Run(text);
        errors = compiler._errors;
        return result;
    }

    private CompiledExpression? Run(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            _errors.Add("the expression is empty");
            return null;
        }

        if (text.Length > WorkflowLimits.MaxExpressionLength)
        {
            _errors.Add($"the expression is longer than {WorkflowLimits.MaxExpressionLength} characters");
            return null;
        }

        Expression root;
        try
        {
            root = new Parser(ParserOptions).ParseExpression(text);
        }
        catch (ParseErrorException e)
        {
            _errors.Add($"'{text.Trim()}' does not parse: {e.Description} (column {e.Column})");
            return null;
        }

        Visit(root);
        return _errors.Count == 0
            ? new CompiledExpression(text, _source.ToString(), _used, _steps, _secrets)
            : null;
    }

    private void Visit(Node node)
    {
        switch (node)
        {
            case Identifier identifier:
                VisitRoot(identifier, hasMember: false, firstMember: null);
                break;
            case MemberExpression or ChainExpression:
                VisitPath((Expression)node);
                break;
            case Literal literal:
                VisitLiteral(literal);
                break;
            case UnaryExpression { Operator: Operator.LogicalNot or Operator.UnaryNegation or Operator.UnaryPlus } unary:
                _source.Append(unary.Operator switch { Operator.LogicalNot => "!", Operator.UnaryNegation => "-", _ => "+" }).Append('(');
                Visit(unary.Argument);
                _source.Append(')');
                break;
            case BinaryExpression binary when BinaryText(binary.Operator) is { } op:
                _source.Append('(');
                Visit(binary.Left);
                _source.Append(' ').Append(op).Append(' ');
                Visit(binary.Right);
                _source.Append(')');
                break;
            case ConditionalExpression conditional:
                _source.Append('(');
                Visit(conditional.Test);
                _source.Append(" ? ");
                Visit(conditional.Consequent);
                _source.Append(" : ");
                Visit(conditional.Alternate);
                _source.Append(')');
                break;
            default:
                _errors.Add($"{Describe(node)} is not allowed: an expression may only use paths, literals, operators and ? :");
                break;
        }
    }

    private void VisitPath(Expression path)
    {
        // Flatten a.b[0].c into its root and its keys, so the root and the first key can be checked together.
        var keys = new List<Node>();
        var current = path;
        while (true)
        {
            if (current is MemberExpression member)
            {
                if (member.Computed && member.Property is not (StringLiteral or NumericLiteral))
                {
                    _errors.Add("an index in [ ] must be a number or a quoted key");
                    return;
                }

                keys.Add(member.Property);
                current = member.Object;
            }
            else if (current is ChainExpression chain)
            {
                current = chain.Expression;
            }
            else
            {
                break;
            }
        }

        keys.Reverse();
        if (current is Identifier identifier)
        {
            // A step id or secret name is a name, never an index.
            var first = keys.Count > 0 && keys[0] is not NumericLiteral ? KeyOf(keys[0]) : null;
            VisitRoot(identifier, hasMember: keys.Count > 0, firstMember: first);
        }
        else
        {
            _source.Append('(');
            Visit(current);
            _source.Append(')');
        }

        foreach (var key in keys)
        {
            var name = KeyOf(key);
            if (name is null)
            {
                _errors.Add("an index must be a whole number of at least 0");
                return;
            }

            // Every access is null-safe: a missing path yields undefined instead of a TypeError.
            _source.Append("?.[").Append(key is NumericLiteral ? name : Quote(name)).Append(']');
        }
    }

    private void VisitRoot(Identifier identifier, bool hasMember, string? firstMember)
    {
        var root = identifier.Name switch
        {
            "input" => ExpressionRoots.Input,
            "steps" => ExpressionRoots.Steps,
            "run" => ExpressionRoots.Run,
            "secrets" => ExpressionRoots.Secrets,
            "output" => ExpressionRoots.Output,
            "body" => ExpressionRoots.Body,
            _ => ExpressionRoots.None,
        };
        if (root == ExpressionRoots.Secrets && !_allowed.HasFlag(root))
        {
            // Anywhere else a secret would end up in a stored output, artifact or decision, where it is redacted and useless.
            _errors.Add("secrets are only available in a connector step's with (its arguments), not here");
            return;
        }

        if (root == ExpressionRoots.None || !_allowed.HasFlag(root))
        {
            _errors.Add($"unknown name '{identifier.Name}': an expression starts from {AllowedList(_allowed)}");
            return;
        }

        if (root is ExpressionRoots.Steps or ExpressionRoots.Secrets)
        {
            var what = root == ExpressionRoots.Steps ? "a step id (steps.ID.output…)" : "a secret name (secrets.NAME)";
            if (!hasMember || firstMember is null)
            {
                _errors.Add($"'{identifier.Name}' must be followed by {what}");
                return;
            }

            (root == ExpressionRoots.Steps ? _steps : _secrets).Add(firstMember);
        }

        _used |= root;
        _source.Append(identifier.Name);
    }

    private void VisitLiteral(Literal literal)
    {
        switch (literal)
        {
            case StringLiteral text:
                _source.Append(Quote(text.Value));
                break;
            case NumericLiteral number when double.IsFinite(number.Value):
                _source.Append(number.Value.ToString("R", CultureInfo.InvariantCulture));
                break;
            case BooleanLiteral flag:
                _source.Append(flag.Value ? "true" : "false");
                break;
            case NullLiteral:
                _source.Append("null");
                break;
            default:
                _errors.Add($"the literal {literal.Raw} is not allowed: use a string, a finite number, true, false or null");
                break;
        }
    }

    private static string? KeyOf(Node key) => key switch
    {
        Identifier identifier => identifier.Name,
        StringLiteral text => text.Value,
        NumericLiteral number when number.Value >= 0 && number.Value <= int.MaxValue && number.Value == Math.Floor(number.Value) =>
            ((int)number.Value).ToString(CultureInfo.InvariantCulture),
        _ => null,
    };

    private static string? BinaryText(Operator op) => op switch
    {
        Operator.Equality => "==",
        Operator.Inequality => "!=",
        Operator.StrictEquality => "===",
        Operator.StrictInequality => "!==",
        Operator.LessThan => "<",
        Operator.LessThanOrEqual => "<=",
        Operator.GreaterThan => ">",
        Operator.GreaterThanOrEqual => ">=",
        Operator.Addition => "+",
        Operator.Subtraction => "-",
        Operator.Multiplication => "*",
        Operator.Division => "/",
        Operator.Remainder => "%",
        Operator.LogicalAnd => "&&",
        Operator.LogicalOr => "||",
        Operator.NullishCoalescing => "??",
        _ => null,
    };

    private static string Describe(Node node) => node switch
    {
        CallExpression or NewExpression or TaggedTemplateExpression => "a call",
        AssignmentExpression or UpdateExpression => "an assignment",
        FunctionExpression or ArrowFunctionExpression or ClassExpression => "a function",
        SequenceExpression => "a comma sequence",
        UnaryExpression or BinaryExpression => "the operator " + (node is UnaryExpression u ? u.Operator : ((BinaryExpression)node).Operator),
        _ => "'" + node.TypeText + "'",
    };

    internal static string AllowedList(ExpressionRoots allowed)
    {
        var names = new[] { "input", "steps", "run", "secrets", "output", "body" }
            .Where((_, i) => allowed.HasFlag((ExpressionRoots)(1 << i)))
            .ToList();
        return names.Count == 0 ? "nothing (literals only)" : string.Join(", ", names);
    }

    private static string Quote(string value) => System.Text.Json.JsonSerializer.Serialize(value);
}
