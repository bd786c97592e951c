namespace Ratify.Functions.Audit;

/// <summary>The result of verifying one audit chain.</summary>
/// <param name="Valid">True when every record and checkpoint held.</param>
/// <param name="Scope">The chain verified.</param>
/// <param name="Records">How many records were read.</param>
/// <param name="HeadSequence">The last record's sequence (0 for an empty chain).</param>
/// <param name="HeadHash">The last record's hash.</param>
/// <param name="Checkpoints">How many signed checkpoints were verified.</param>
/// <param name="SealedThrough">The highest sequence covered by a valid checkpoint (0 when none).</param>
/// <param name="FailedSequence">The first record (or checkpoint sequence) that failed.</param>
/// <param name="Failure">Why, as a code: <c>missing</c>, <c>edited</c>, <c>broken_link</c>, <c>wrong_scope</c>, <c>malformed</c>,
/// <c>bad_signature</c>, <c>checkpoint_mismatch</c>, <c>truncated</c>, <c>unsealed</c>.</param>
/// <param name="Message">Why, in a sentence that names the record.</param>
public sealed record AuditVerification(
    bool Valid,
    string Scope,
    long Records,
    long HeadSequence,
    string HeadHash,
    int Checkpoints,
    long SealedThrough,
    long? FailedSequence,
    string? Failure,
    string? Message);
