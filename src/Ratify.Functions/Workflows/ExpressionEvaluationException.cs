namespace Ratify.Functions.Workflows;

/// <summary>A template or condition could not be evaluated at run time (limit reached, bad expression, bad data).</summary>
public sealed class ExpressionEvaluationException : Exception
{
    /// <summary>Creates the exception for <paramref name="expression"/>.</summary>
    public ExpressionEvaluationException(string expression, string message, Exception? innerException = null)
        : base($"Expression '{expression}' could not be evaluated: {message}", innerException)
    {
        Expression = expression;
    }

    /// <summary>The expression as written in the definition.</summary>
    public string Expression { get; }
}
