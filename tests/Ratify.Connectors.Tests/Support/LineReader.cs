using System.Text;

namespace Ratify.Connectors.Tests.Support;

/// <summary>Reads CRLF-terminated SMTP lines and the dot-terminated DATA block from a stream, byte for byte.</summary>
internal sealed class LineReader(Stream stream)
{
    private readonly byte[] _buffer = new byte[8192];
    private int _start;
    private int _end;

    /// <summary>The next line without its CRLF, or null at the end of the stream.</summary>
    public async Task<string?> ReadLineAsync(CancellationToken cancellationToken) =>
        await ReadRawLineAsync(cancellationToken) is { } raw ? Encoding.UTF8.GetString(raw) : null;

    /// <summary>The message data up to the line holding a single dot, with dot-stuffing undone and CRLF line ends kept.</summary>
    public async Task<byte[]> ReadDataAsync(CancellationToken cancellationToken)
    {
        using var data = new MemoryStream();
        while (await ReadRawLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 1 && line[0] == (byte)'.')
            {
                return data.ToArray();
            }

            var content = line.Length > 0 && line[0] == (byte)'.' ? line[1..] : line;
            data.Write(content);
            data.Write("\r\n"u8);
        }

        throw new IOException("the client closed during DATA");
    }

    private async Task<byte[]?> ReadRawLineAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        while (true)
        {
            for (var i = _start; i < _end; i++)
            {
                if (_buffer[i] == (byte)'\n')
                {
                    line.Write(_buffer, _start, i - _start);
                    _start = i + 1;
                    var bytes = line.ToArray();
                    return bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes[..^1] : bytes;
                }
            }

            line.Write(_buffer, _start, _end - _start);
            _start = 0;
            _end = await stream.ReadAsync(_buffer, cancellationToken);
            if (_end == 0)
            {
                return null;
            }
        }
    }
}
