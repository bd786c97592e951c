using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ratify.Cli.Api;
using Ratify.Functions.Audit;

namespace Ratify.Cli.Commands;

/// <summary><c>ratify audit export|verify</c>: a run's audit package, and its offline verification.</summary>
internal static class AuditCommand
{
    private static readonly JsonSerializerOptions ResultOptions = new(JsonSerializerDefaults.Web);

    public static Command Create(CliRuntime cli)
    {
        var command = new Command("audit", "Export a run's audit package and verify one offline");
        command.Add(Export(cli));
        command.Add(Verify(cli));
        return command;
    }

    private static Command Export(CliRuntime cli)
    {
        var runId = RunsCommand.RunId();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the package to this file (stdout when left out)" };
        var artifacts = new Option<string?>("--artifacts") { Description = "inline: include artifact content; digest (the default): only their SHA-256" };
        artifacts.AcceptOnlyFromAmong("inline", "digest");
        var command = new Command("export", "Download a run's audit package: its records, signed checkpoints and the public key") { runId, output, artifacts };
        cli.SetApiAction(command, async (result, client, cancellationToken) =>
        {
            var path = RatifyClient.Path($"/v1/runs/{RatifyClient.Segment(result.GetValue(runId)!)}/export", ("artifacts", result.GetValue(artifacts)));
            using var response = await client.OpenAsync(HttpMethod.Get, path, cancellationToken: cancellationToken).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (result.GetValue(output) is not { } file)
            {
                using var reader = new StreamReader(body);
                var buffer = new char[16 * 1024];
                int read;
                while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await cli.Out.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await cli.Out.WriteLineAsync().ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            await WriteWholeAsync(file, body, cancellationToken).ConfigureAwait(false);
            await cli.Error.WriteLineAsync($"wrote {file.FullName} ({new FileInfo(file.FullName).Length} bytes)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Verify(CliRuntime cli)
    {
        var file = new Argument<FileInfo>("package") { Description = "An audit package from `ratify audit export`" };
        var publicKey = new Option<FileInfo?>("--public-key") { Description = "The server's public key (PEM, from GET /v1/audit/public-key); without it the key inside the package is used" };
        var command = new Command("verify", "Verify an audit package offline: exits 0 when it holds, 1 when it was changed, cut or is unsealed") { file, publicKey };
        cli.SetAction(command, async (result, cancellationToken) =>
        {
            // Streamed: the header is read first, then the records one at a time, so any length verifies in bounded memory.
            var path = result.GetValue(file)!;
            await using var stream = Open(path);
            var package = new AuditPackageReader(stream);
            AuditVerification verification;
            try
            {
                await package.ReadHeaderAsync(cancellationToken).ConfigureAwait(false);
                if (package.Format != AuditPackageVerifier.Format)
                {
                    throw CliException.Usage($"{path.FullName} is not an audit package: its \"format\" must be \"{AuditPackageVerifier.Format}\"");
                }

                string pem;
                if (result.GetValue(publicKey) is { } keyFile)
                {
                    pem = await ReadTextAsync(keyFile, "--public-key", cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    // The copy inside the package proves nothing against someone who rewrote the whole package: say so.
                    pem = package.PublicKey ?? throw CliException.Usage("the package holds no publicKey before its records; pass --public-key");
                    await cli.Error.WriteLineAsync("warning: using the public key inside the package; pass --public-key with the key from GET /v1/audit/public-key").ConfigureAwait(false);
                }

                verification = await AuditPackageVerifier.VerifyAsync(package, pem, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is JsonException or FormatException or ArgumentException or CryptographicException or InvalidOperationException or IOException)
            {
                throw CliException.Usage($"{path.FullName} is not an audit package: {e.Message}");
            }

            if (cli.Json(result))
            {
                await cli.Out.WriteLineAsync(JsonSerializer.Serialize(verification, ResultOptions)).ConfigureAwait(false);
            }
            else if (verification.Valid)
            {
                await cli.Out.WriteLineAsync($"verified: {verification.Records} records of {verification.Scope}, sealed through {verification.SealedThrough} by {verification.Checkpoints} checkpoint(s)")
                    .ConfigureAwait(false);
            }
            else
            {
                await cli.Out.WriteLineAsync($"FAILED at record {verification.FailedSequence} ({verification.Failure}): {verification.Message}").ConfigureAwait(false);
            }

            return verification.Valid ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    // Written beside the target and moved into place, so an interrupted download never leaves a half package under the name.
    private static async Task WriteWholeAsync(FileInfo file, Stream body, CancellationToken cancellationToken)
    {
        var partial = file.FullName + ".partial";
        try
        {
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                await body.CopyToAsync(target, cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, file.FullName, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            throw CliException.Usage($"--output {file.FullName}: {e.Message}");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    private static FileStream Open(FileInfo file)
    {
        try
        {
            return file.OpenRead();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{file.FullName}: {e.Message}");
        }
    }

    private static async Task<string> ReadTextAsync(FileInfo file, string option, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(file.FullName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"{option} {file.FullName}: {e.Message}");
        }
    }
}
