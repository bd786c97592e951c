namespace Ratify.Testing;

/// <summary>Unique names that isolate one test from the others sharing an Azurite.</summary>
public static class TestNames
{
    /// <summary>A fresh task hub name: letters and digits only, valid as a table, queue and container prefix.</summary>
    public static string NewHub() => "t" + Guid.NewGuid().ToString("N")[..15];
}
