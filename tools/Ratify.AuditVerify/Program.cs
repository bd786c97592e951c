using System.Text.Json;
using Ratify.Functions.Audit;

// Verifies a Ratify audit package offline: Ratify.AuditVerify <package.json> [--public-key <key.pem>]
// Exit codes: 0 verified, 1 verification failed, 2 usage or unreadable input.
if (args.Length is not (1 or 3) || (args.Length == 3 && args[1] != "--public-key"))
{
    Console.Error.WriteLine("usage: Ratify.AuditVerify <package.json> [--public-key <key.pem>]");
    return 2;
}

// The package is streamed: its records are read and checked one at a time, so any length verifies in bounded memory.
await using var file = OpenOrNull(args[0]);
if (file is null)
{
    return 2;
}

var package = new AuditPackageReader(file);
string publicKey;
try
{
    await package.ReadHeaderAsync();
    if (args.Length == 3)
    {
        publicKey = await File.ReadAllTextAsync(args[2]);
    }
    else
    {
        // The copy inside the package proves nothing against someone who rewrote the package: say so.
        publicKey = package.PublicKey ?? throw new FormatException("The package holds no publicKey before its records; pass --public-key.");
        Console.Error.WriteLine("warning: using the public key inside the package; pass --public-key with the key served by GET /v1/audit/public-key.");
    }
}
catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or InvalidOperationException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

AuditVerification result;
try
{
    result = await AuditPackageVerifier.VerifyAsync(package, publicKey);
}
catch (Exception e) when (e is FormatException or ArgumentException or IOException or System.Security.Cryptography.CryptographicException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}

Console.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
if (result.Valid)
{
    Console.Error.WriteLine($"verified: {result.Records} records of {result.Scope}, sealed through {result.SealedThrough} by {result.Checkpoints} checkpoint(s).");
    return 0;
}

Console.Error.WriteLine($"FAILED at record {result.FailedSequence} ({result.Failure}): {result.Message}");
return 1;

static FileStream? OpenOrNull(string path)
{
    try
    {
        return File.OpenRead(path);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine($"error: {e.Message}");
        return null;
    }
}
