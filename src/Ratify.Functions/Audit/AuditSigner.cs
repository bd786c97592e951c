using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ratify.Functions.Audit;

/// <summary>Signs chain heads with the configured ECDSA P-256 key, which lives in configuration, never beside the records.</summary>
public sealed partial class AuditSigner : IDisposable
{
    private readonly ECDsa _key;

    public AuditSigner(IOptions<AuditOptions> options, ILogger<AuditSigner> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = ECDsa.Create();
        if (options.Value.SigningKey is { Length: > 0 } pem)
        {
            try
            {
                _key.ImportFromPem(pem);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"{AuditOptions.Section}:SigningKey is not a PEM EC private key.", e);
            }

            if (_key.KeySize != 256)
            {
                throw new InvalidOperationException($"{AuditOptions.Section}:SigningKey must be a P-256 key; it has {_key.KeySize} bits.");
            }
        }
        else
        {
            var path = options.Value.DevelopmentKeyPath ?? Path.Combine(
                Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "ratify-audit-dev-key.pem");
            LoadOrCreate(path);
            LogDevelopmentKey(logger, path, AuditOptions.Section);
        }

        KeyId = AuditVerifier.KeyIdOf(_key);
        PublicKeyPem = _key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>SHA-256 (hex) of the public key.</summary>
    public string KeyId { get; }

    /// <summary>The public key (SubjectPublicKeyInfo PEM) that verifies every checkpoint.</summary>
    public string PublicKeyPem { get; }

    /// <summary>A checkpoint over the head <paramref name="sequence"/>/<paramref name="hash"/> of <paramref name="scope"/>.</summary>
    public AuditCheckpoint Sign(string scope, long sequence, string hash, string time)
    {
        var unsigned = new AuditCheckpoint(scope, sequence, hash, time, KeyId, string.Empty);
        var signature = _key.SignData(JsonCanonicalizer.Serialize(unsigned.SignedContent()), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return unsigned with { Signature = Convert.ToBase64String(signature) };
    }

    public void Dispose() => _key.Dispose();

    private void LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            _key.ImportFromPem(File.ReadAllText(path));
            return;
        }

        _key.GenerateKey(ECCurve.NamedCurves.nistP256);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var pem = _key.ExportECPrivateKeyPem();
        try
        {
            // Another host on this machine may create it at the same moment: the first file wins, everyone uses it.
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using var file = new FileStream(path, create);
            using var writer = new StreamWriter(file);
            writer.Write(pem);
        }
        catch (IOException) when (File.Exists(path))
        {
            _key.ImportFromPem(File.ReadAllText(path));
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning,
        Message = "Audit checkpoints are signed with a development key kept in {Path}; set {Section}:SigningKey to a P-256 PEM private key in production")]
    private static partial void LogDevelopmentKey(ILogger logger, string path, string section);
}
