namespace Ratify.Durable.Client;

/// <summary>Checks instance ids against what table keys and blob names allow.</summary>
internal static class InstanceIds
{
    public const int MaxLength = 256;

    public static void Validate(string instanceId)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        if (instanceId.Length > MaxLength || instanceId.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c)))
        {
            throw new ArgumentException(
                $"The instance id '{instanceId}' is invalid: use at most {MaxLength} characters, none of / \\ # ? or control characters.",
                nameof(instanceId));
        }
    }
}
