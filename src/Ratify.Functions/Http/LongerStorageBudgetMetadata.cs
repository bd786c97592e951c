using Microsoft.AspNetCore.Http;

namespace Ratify.Functions.Http;

/// <summary>Marks an endpoint whose request may ask to wait: its storage budget grows by the wait it asked for.</summary>
/// <param name="ExtraTime">The wait a request asks for (zero when none, or when the request is invalid: the handler reports that).</param>
internal sealed record LongerStorageBudgetMetadata(Func<HttpContext, TimeSpan> ExtraTime);
