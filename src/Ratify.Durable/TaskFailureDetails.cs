namespace Ratify.Durable;

/// <summary>A failure as it crosses the durable boundary: a record, never a serialised exception.</summary>
public sealed record TaskFailureDetails(string ErrorType, string ErrorMessage, string? StackTrace = null, TaskFailureDetails? InnerFailure = null)
{
    /// <summary>Builds the record of an exception and its inner exceptions.</summary>
    public static TaskFailureDetails FromException(Exception exception) =>
        new(
            exception.GetType().FullName ?? exception.GetType().Name,
            exception.Message,
            exception.StackTrace,
            exception.InnerException is null ? null : FromException(exception.InnerException));

    /// <summary>True when this failure, or an inner one, was raised as <typeparamref name="T"/>.</summary>
    public bool IsCausedBy<T>() where T : Exception =>
        ErrorType == typeof(T).FullName || (InnerFailure?.IsCausedBy<T>() ?? false);
}
