namespace Ratify.Functions.Runs;

/// <summary>Whether a replay may reuse an approval gate's original decision: only when every artifact it showed is byte-identical now.</summary>
/// <param name="Note">What the dry run says about the gate.</param>
public sealed record ApprovalReuse(bool Reusable, string Note);
