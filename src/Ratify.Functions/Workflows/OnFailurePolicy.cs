using System.Text.Json.Serialization;

namespace Ratify.Functions.Workflows;

/// <summary>What a step's final failure does to its run.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<OnFailurePolicy>))]
public enum OnFailurePolicy
{
    /// <summary>The run fails (the default).</summary>
    Fail,

    /// <summary>The step is recorded as failed and the run goes on; its dependants see no output.</summary>
    Continue,
}
