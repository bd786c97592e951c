using Microsoft.AspNetCore.Http;
using Ratify.Functions.Runs;
using Ratify.Functions.Workflows;

namespace Ratify.Functions.Http;

/// <summary>Turns the workflow and run exceptions of the layers below into problem exceptions, for the workflows and runs endpoints.</summary>
/// <remarks>Those layers stay free of HTTP; the one exception handler at the edge then writes the problem+json.</remarks>
internal sealed class DomainExceptionFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context).ConfigureAwait(false);
        }
        catch (WorkflowNotFoundException e)
        {
            // Another tenant's workflow reads the same as one that does not exist.
            throw new NotFoundProblemException(e.Message);
        }
        catch (WorkflowArchivedException e)
        {
            throw new ConflictProblemException($"Workflow '{e.WorkflowId}' is archived: it starts no new runs and takes no new versions.");
        }
        catch (WorkflowConflictException e)
        {
            throw new ConflictProblemException(e.Message);
        }
        catch (RunConflictException e)
        {
            throw new ConflictProblemException(e.Message);
        }
        catch (RunInputException e)
        {
            // Pointers into the input become pointers into the request body, where the input sits under "input".
            throw new BadRequestProblemException(e.Message, [.. e.Errors.Select(error => new ProblemError("/input" + error.Pointer, error.Message))]);
        }
    }
}
