using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>One link of an audit chain: what happened, when, by whom, chained to the record before it.</summary>
/// <param name="Scope">The chain: <c>{tenant}/runs/{runId}</c> for a run, <c>{tenant}/log</c> for the tenant log.</param>
/// <param name="Sequence">1 for the first record of the scope, then one more for each record, with no gaps.</param>
/// <param name="Time">When it was recorded, ISO 8601 UTC (kept as text so that it hashes the same everywhere).</param>
/// <param name="Type">What happened, e.g. <c>run.started</c> (see <see cref="AuditTypes"/>).</param>
/// <param name="Actor">Who caused it.</param>
/// <param name="Data">The event's details.</param>
/// <param name="PreviousHash">The hash of record <c>Sequence - 1</c>; <see cref="GenesisHash"/> for the first.</param>
/// <param name="Hash">SHA-256 (lowercase hex) of the RFC 8785 canonical JSON of every field above.</param>
public sealed record AuditRecord(string Scope, long Sequence, string Time, string Type, AuditActor Actor, JsonNode? Data, string PreviousHash, string Hash)
{
    /// <summary>The previous hash of a chain's first record: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>A record with its hash computed.</summary>
    public static AuditRecord Create(string scope, long sequence, string time, string type, AuditActor actor, JsonNode? data, string previousHash)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var record = new AuditRecord(scope, sequence, time, type, actor, data, previousHash, string.Empty);
        return record with { Hash = record.ComputeHash() };
    }

    /// <summary>The hash the record's content gives now (compare with <see cref="Hash"/> to detect an edit).</summary>
    public string ComputeHash() => Convert.ToHexStringLower(SHA256.HashData(JsonCanonicalizer.Serialize(Content())));

    /// <summary>The hashed fields, as JSON.</summary>
    public JsonObject Content() => new()
    {
        ["scope"] = Scope,
        ["sequence"] = Sequence,
        ["time"] = Time,
        ["type"] = Type,
        ["actor"] = Actor.ToJson(),
        ["data"] = Data?.DeepClone(),
        ["previousHash"] = PreviousHash,
    };

    /// <summary>The record as exported and served: the hashed fields plus <c>hash</c>.</summary>
    public JsonObject ToJson()
    {
        var json = Content();
        json["hash"] = Hash;
        return json;
    }

    /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
    /// <exception cref="FormatException">A field is missing or of the wrong type.</exception>
    public static AuditRecord FromJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            return new AuditRecord(
                node["scope"]!.GetValue<string>(),
                node["sequence"]!.GetValue<long>(),
                node["time"]!.GetValue<string>(),
                node["type"]!.GetValue<string>(),
                AuditActor.FromJson(node["actor"]),
                node["data"]?.DeepClone(),
                node["previousHash"]!.GetValue<string>(),
                node["hash"]!.GetValue<string>());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new FormatException("An audit record needs scope, sequence, time, type, actor, previousHash and hash.", e);
        }
    }
}
