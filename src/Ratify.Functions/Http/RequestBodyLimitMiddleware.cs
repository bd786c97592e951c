using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Http;

/// <summary>Refuses bodies over the configured size with 413, before anything reads them.</summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestLimitsOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        // An endpoint's own limit wins; a null limit there means "unlimited", as in ASP.NET Core.
        var metadata = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>();
        var limit = metadata is null ? options.Value.MaxRequestBodyBytes : metadata.MaxRequestBodySize;
        if (limit is not { } max)
        {
            return next(context);
        }

        if (context.Request.ContentLength > max)
        {
            throw new PayloadTooLargeProblemException(max);
        }

        // Bodies without a length (chunked) are cut off by the server while being read; that surfaces as a 413 too.
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = max;
        }

        return next(context);
    }
}
