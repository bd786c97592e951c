using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>A signed statement that a chain's head was <see cref="Hash"/> at <see cref="Sequence"/>.</summary>
/// <param name="Scope">The chain.</param>
/// <param name="Sequence">The last record covered.</param>
/// <param name="Hash">That record's hash.</param>
/// <param name="Time">When it was signed (ISO 8601 UTC).</param>
/// <param name="KeyId">SHA-256 (hex) of the signing key's public key (SubjectPublicKeyInfo DER).</param>
/// <param name="Signature">ECDSA P-256 / SHA-256 over the canonical JSON of <see cref="SignedContent"/>, IEEE P1363 form, base64.</param>
public sealed record AuditCheckpoint(string Scope, long Sequence, string Hash, string Time, string KeyId, string Signature)
{
    /// <summary>What is signed: scope, sequence, hash, time and key id.</summary>
    public JsonObject SignedContent() => new()
    {
        ["scope"] = Scope,
        ["sequence"] = Sequence,
        ["hash"] = Hash,
        ["time"] = Time,
        ["keyId"] = KeyId,
    };

    public JsonObject ToJson()
    {
        var json = SignedContent();
        json["signature"] = Signature;
        return json;
    }

    /// <exception cref="FormatException">A field is missing or of the wrong type.</exception>
    public static AuditCheckpoint FromJson(JsonNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        try
        {
            return new AuditCheckpoint(
                node["scope"]!.GetValue<string>(),
                node["sequence"]!.GetValue<long>(),
                node["hash"]!.GetValue<string>(),
                node["time"]!.GetValue<string>(),
                node["keyId"]!.GetValue<string>(),
                node["signature"]!.GetValue<string>());
        }
        catch (Exception e) when (e is NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new FormatException("A checkpoint needs scope, sequence, hash, time, keyId and signature.", e);
        }
    }
}
