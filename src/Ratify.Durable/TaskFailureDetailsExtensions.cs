namespace Ratify.Durable;

/// <summary>Converts the SDK's failure record into the Durable Task Framework's, which its retry predicates and history events carry.</summary>
internal static class TaskFailureDetailsExtensions
{
    public static DurableTask.Core.FailureDetails ToCoreFailureDetails(this TaskFailureDetails details) =>
        new(details.ErrorType, details.ErrorMessage, details.StackTrace, details.InnerFailure?.ToCoreFailureDetails(), isNonRetriable: false);
}
