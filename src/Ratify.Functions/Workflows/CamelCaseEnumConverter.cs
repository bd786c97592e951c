using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ratify.Functions.Workflows;

/// <summary>Writes and reads an enum as its camelCase name (<c>continue</c>, <c>exponential</c>) whatever the serializer options.</summary>
public sealed class CamelCaseEnumConverter<TEnum>() : JsonStringEnumConverter<TEnum>(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    where TEnum : struct, Enum;
