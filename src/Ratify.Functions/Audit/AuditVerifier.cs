using System.Security.Cryptography;

namespace Ratify.Functions.Audit;

/// <summary>Checks an audit chain with nothing but its records, its checkpoints and the signer's public key.</summary>
/// <remarks>
/// Records are read once, in order, so a chain of any length verifies in constant memory; checkpoints are few and held.
/// Detects an edited record (its hash no longer matches its content), a record removed from the middle (a gap in the
/// sequence), a truncated tail (a checkpoint signs a record that is gone), and a chain re-hashed without the signing key
/// (a record's hash differs from the one a checkpoint signed, or a checkpoint's signature fails).
/// </remarks>
public sealed class AuditVerifier
{
    private readonly ECDsa _publicKey;
    private readonly string _keyId;

    /// <summary>A verifier for checkpoints signed by the key whose public half is <paramref name="publicKeyPem"/>.</summary>
    public AuditVerifier(string publicKeyPem)
    {
        _publicKey = ECDsa.Create();
        _publicKey.ImportFromPem(publicKeyPem);
        _keyId = KeyIdOf(_publicKey);
    }

    /// <summary>SHA-256 (hex) of the key's SubjectPublicKeyInfo DER.</summary>
    public static string KeyIdOf(ECDsa key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
    }

    /// <summary>Verifies the chain <paramref name="scope"/>.</summary>
    /// <param name="requireSealed">When true the last record must be covered by a checkpoint (a finished run's chain is).</param>
    public async Task<AuditVerification> VerifyAsync(string scope, IAsyncEnumerable<AuditRecord> records, IReadOnlyList<AuditCheckpoint> checkpoints, bool requireSealed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(checkpoints);
        var signed = new Dictionary<long, AuditCheckpoint>();
        foreach (var checkpoint in checkpoints.OrderBy(c => c.Sequence))
        {
            if (checkpoint.Scope != scope)
            {
                return Fail(scope, 0, 0, string.Empty, 0, 0, checkpoint.Sequence, "wrong_scope", $"The checkpoint at sequence {checkpoint.Sequence} is for scope '{checkpoint.Scope}', not '{scope}'.");
            }

            if (!VerifySignature(checkpoint))
            {
                return Fail(scope, 0, 0, string.Empty, 0, 0, checkpoint.Sequence, "bad_signature",
                    $"The checkpoint at sequence {checkpoint.Sequence} does not carry a valid signature of this public key: it was forged or altered.");
            }

            signed[checkpoint.Sequence] = checkpoint;
        }

        long count = 0, head = 0, sealedThrough = 0;
        var headHash = AuditRecord.GenesisHash;
        var matched = 0;
        await foreach (var record in records.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            count++;
            if (record.Scope != scope)
            {
                return Fail(scope, count, head, headHash, matched, sealedThrough, record.Sequence, "wrong_scope", $"Record {record.Sequence} belongs to scope '{record.Scope}', not '{scope}'.");
            }

            if (record.Sequence != head + 1)
            {
                var missing = record.Sequence > head + 1 ? $"record {head + 1} is missing (the chain goes from {head} to {record.Sequence})" : $"record {record.Sequence} is out of order after {head}";
                return Fail(scope, count, head, headHash, matched, sealedThrough, head + 1, "missing", $"The chain is not whole: {missing}.");
            }

            if (record.ComputeHash() != record.Hash)
            {
                return Fail(scope, count, head, headHash, matched, sealedThrough, record.Sequence, "edited",
                    $"Record {record.Sequence} ({record.Type}) was changed after it was written: its content no longer hashes to its recorded hash.");
            }

            if (record.PreviousHash != headHash)
            {
                return Fail(scope, count, head, headHash, matched, sealedThrough, record.Sequence, "broken_link",
                    $"Record {record.Sequence} ({record.Type}) does not follow record {head}: its previous hash is not that record's hash.");
            }

            if (signed.TryGetValue(record.Sequence, out var checkpoint))
            {
                if (checkpoint.Hash != record.Hash)
                {
                    return Fail(scope, count, head, headHash, matched, sealedThrough, record.Sequence, "checkpoint_mismatch",
                        $"Record {record.Sequence} ({record.Type}) is not the record the checkpoint signed: the chain was rewritten after sequence {sealedThrough} " +
                        "by someone without the signing key.");
                }

                matched++;
                sealedThrough = record.Sequence;
            }

            head = record.Sequence;
            headHash = record.Hash;
        }

        var beyond = signed.Keys.Where(s => s > head).DefaultIfEmpty(0).Max();
        if (beyond > 0)
        {
            return Fail(scope, count, head, headHash, matched, sealedThrough, head + 1, "truncated",
                $"The chain ends at record {head} but a checkpoint signed record {beyond}: records {head + 1} to {beyond} or more were removed.");
        }

        if (requireSealed && sealedThrough != head)
        {
            return Fail(scope, count, head, headHash, matched, sealedThrough, sealedThrough + 1, "unsealed",
                $"Records {sealedThrough + 1} to {head} are not covered by a signed checkpoint, but the chain should be sealed.");
        }

        return new AuditVerification(true, scope, count, head, headHash, matched, sealedThrough, null, null, null);
    }

    private bool VerifySignature(AuditCheckpoint checkpoint)
    {
        if (checkpoint.KeyId != _keyId)
        {
            return false;
        }

        try
        {
            var signature = Convert.FromBase64String(checkpoint.Signature);
            return _publicKey.VerifyData(JsonCanonicalizer.Serialize(checkpoint.SignedContent()), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static AuditVerification Fail(string scope, long count, long head, string headHash, int checkpoints, long sealedThrough, long failed, string code, string message) =>
        new(false, scope, count, head, headHash, checkpoints, sealedThrough, failed, code, message);
}
