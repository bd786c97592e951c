using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ratify.Functions.Audit;

/// <summary>
/// Reads an audit package from a stream in bounded memory: the header fields first (format, scope, run status,
/// checkpoints, public key), then the records one at a time, each parsed on its own.
/// </summary>
/// <remarks>
/// Holds at most one JSON token or one record (or the checkpoints array) in its buffer, so a package of any length is read
/// in memory proportional to its largest record. The records must come last, as exports write them.
/// </remarks>
public sealed class AuditPackageReader(Stream stream)
{
    private delegate bool Step(ref Utf8JsonReader reader);

    private byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private JsonReaderState _state;
    private bool _inRecords;

    /// <summary>The package's <c>format</c>.</summary>
    public string? Format { get; private set; }

    /// <summary>The package's <c>scope</c>.</summary>
    public string? Scope { get; private set; }

    /// <summary>The package's <c>run.status</c> (null for a package without a run).</summary>
    public string? RunStatus { get; private set; }

    /// <summary>The package's checkpoints, as JSON.</summary>
    public JsonArray? Checkpoints { get; private set; }

    /// <summary>The public key the package carries.</summary>
    public string? PublicKey { get; private set; }

    /// <summary>A top-level <c>runId</c> string: not part of a package, but of a request to verify a stored chain.</summary>
    public string? RunId { get; private set; }

    /// <summary>Reads every field before <c>records</c>; afterwards <see cref="ReadRecordsAsync"/> yields the records.</summary>
    /// <exception cref="FormatException">The stream is not a JSON object, or it ends early.</exception>
    public async Task ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        await StepAsync((ref Utf8JsonReader r) => r.Read() && (r.TokenType == JsonTokenType.StartObject ? true : throw new FormatException("The package is not a JSON object.")),
            cancellationToken).ConfigureAwait(false);
        while (true)
        {
            string? name = null;
            await StepAsync((ref Utf8JsonReader r) =>
            {
                if (!r.Read())
                {
                    return false;
                }

                name = r.TokenType == JsonTokenType.PropertyName ? r.GetString() : null;
                return true;
            }, cancellationToken).ConfigureAwait(false);
            switch (name)
            {
                case null:
                    return; // the end of the object: a package without records
                case "records":
                    await StepAsync((ref Utf8JsonReader r) => r.Read() && (r.TokenType == JsonTokenType.StartArray ? true : throw new FormatException("\"records\" is not an array.")),
                        cancellationToken).ConfigureAwait(false);
                    _inRecords = true;
                    return;
                case "format":
                    Format = await TextAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case "scope":
                    Scope = await TextAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case "publicKey":
                    PublicKey = await TextAsync(cancellationToken).ConfigureAwait(false);
                    break;
                case "runId":
                    RunId = await ValueAsync(cancellationToken).ConfigureAwait(false) is JsonValue id && id.TryGetValue<string>(out var runId) ? runId : null;
                    break;
                case "run":
                    RunStatus = (await ValueAsync(cancellationToken).ConfigureAwait(false))?["status"]?.GetValue<string>();
                    break;
                case "checkpoints":
                    Checkpoints = await ValueAsync(cancellationToken).ConfigureAwait(false) as JsonArray ?? throw new FormatException("\"checkpoints\" is not an array.");
                    break;
                default:
                    await SkipValueAsync(cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    /// <summary>The records, one at a time, in the order the package holds them.</summary>
    public async IAsyncEnumerable<AuditRecord> ReadRecordsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (_inRecords)
        {
            JsonNode? node = null;
            await StepAsync((ref Utf8JsonReader r) =>
            {
                var peek = r;
                if (!peek.Read())
                {
                    return false;
                }

                if (peek.TokenType == JsonTokenType.EndArray)
                {
                    r = peek;
                    return true;
                }

                // Only once the whole record is in the buffer is it parsed; otherwise read more and try again.
                var whole = peek;
                if (!whole.TrySkip())
                {
                    return false;
                }

                r.Read();
                node = JsonNode.Parse(JsonElement.ParseValue(ref r).GetRawText());
                return true;
            }, cancellationToken).ConfigureAwait(false);
            if (node is null)
            {
                _inRecords = false;
                yield break;
            }

            yield return AuditRecord.FromJson(node);
        }
    }

    private async Task<string?> TextAsync(CancellationToken cancellationToken) =>
        await ValueAsync(cancellationToken).ConfigureAwait(false) is JsonValue value && value.TryGetValue<string>(out var text)
            ? text
            : throw new FormatException("A header field that must be a string is not one.");

    private async Task<JsonNode?> ValueAsync(CancellationToken cancellationToken)
    {
        JsonNode? node = null;
        await StepAsync((ref Utf8JsonReader r) =>
        {
            var whole = r;
            if (!whole.Read() || !whole.TrySkip())
            {
                return false;
            }

            r.Read();
            node = JsonNode.Parse(JsonElement.ParseValue(ref r).GetRawText());
            return true;
        }, cancellationToken).ConfigureAwait(false);
        return node;
    }

    /// <summary>Skips a value token by token, so that a large one (inline artifact content) never has to fit whole.</summary>
    private async Task SkipValueAsync(CancellationToken cancellationToken)
    {
        var depth = 0;
        do
        {
            await StepAsync((ref Utf8JsonReader r) =>
            {
                if (!r.Read())
                {
                    return false;
                }

                depth += r.TokenType switch { JsonTokenType.StartObject or JsonTokenType.StartArray => 1, JsonTokenType.EndObject or JsonTokenType.EndArray => -1, _ => 0 };
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        while (depth > 0);
    }

    /// <summary>Runs <paramref name="step"/> on the buffered bytes; when it needs more, reads more and runs it again from the same place.</summary>
    private async Task StepAsync(Step step, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryStep(step))
            {
                return;
            }

            if (_final)
            {
                throw new FormatException("The package ends before its JSON does.");
            }

            await FillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private bool TryStep(Step step)
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        try
        {
            if (!step(ref reader))
            {
                return false;
            }
        }
        catch (JsonException e)
        {
            throw new FormatException($"The package is not valid JSON: {e.Message}", e);
        }

        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        return true;
    }

    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2); // one token or record larger than the buffer
        }

        // Fill the whole free space: a step that needed more is retried from its start, so it should be retried rarely.
        while (_end < _buffer.Length)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _final = true;
                return;
            }

            _end += read;
        }
    }
}
