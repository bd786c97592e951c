using Microsoft.AspNetCore.Http;

namespace Ratify.Functions.Http;

/// <summary>
/// Refuses a JSON body that carries malformed text (bytes that are not UTF-8, lone UTF-16 surrogates) with a 400 naming
/// each place by its JSON pointer, for every endpoint, before any handler binds or stores it.
/// </summary>
internal sealed class JsonTextMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.ContentLength == 0 || !request.HasJsonContentType() || !IsUtf8(request))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        // Read whole (the size limit applies while reading), checked, then handed on as the body.
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted).ConfigureAwait(false);
        var errors = JsonTextChecker.Check(body.GetBuffer().AsSpan(0, (int)body.Length));
        if (errors.Count > 0)
        {
            await body.DisposeAsync().ConfigureAwait(false);
            throw new BadRequestProblemException(
                "The body contains text that is not well-formed Unicode; nothing of it was stored. Each error names the place.", errors);
        }

        body.Position = 0;
        var original = request.Body;
        request.Body = body;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            request.Body = original;
            await body.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>JSON is UTF-8 unless the request names another charset (which the endpoint then decodes itself).</summary>
    private static bool IsUtf8(HttpRequest request) =>
        !Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(request.ContentType, out var type)
        || type.Charset.Length == 0
        || type.Charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
}
