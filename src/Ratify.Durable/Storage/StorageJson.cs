using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ratify.Durable.Storage;

/// <summary>The JSON settings of everything the runtime stores (history rows, messages).</summary>
internal static class StorageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowOutOfOrderMetadataProperties = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
