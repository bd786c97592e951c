using System.Text.Json.Serialization;

namespace Ratify.Functions.Workflows;

/// <summary>How the delay between retry attempts grows.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<RetryBackoff>))]
public enum RetryBackoff
{
    /// <summary>Each delay is <c>initialInterval × backoffCoefficient^(n-1)</c>, capped by <c>maxInterval</c> (the default).</summary>
    Exponential,

    /// <summary>Every delay is <c>initialInterval</c>.</summary>
    Fixed,
}
