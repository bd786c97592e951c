namespace Ratify.Connectors;

/// <summary>What a connector call does to the outside world; replay and retry use it to decide what may run again.</summary>
public enum SideEffect
{
    /// <summary>Only reads: safe to repeat.</summary>
    Read,

    /// <summary>Changes something, but repeating it with the same idempotency key changes nothing more.</summary>
    Idempotent,

    /// <summary>Changes something for good (a message sent, money moved): never repeated silently.</summary>
    Irreversible,
}
