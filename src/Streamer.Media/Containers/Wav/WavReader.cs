using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Streamer.Media.Containers.Wav;

/// <summary>
/// Reads a WAV stream from a pipe: the header first, then blocks of whole sample frames handed out as slices of
/// the pipe's own buffers (no copy). Call <see cref="Consume"/> once done with a block.
/// </summary>
public sealed class WavReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private long _dataRemaining;
    private ReadOnlySequence<byte> _held;
    private bool _holding;
    private bool _ended;

    private WavReader(PipeReader reader, WavHeader header)
    {
        _reader = reader;
        Header = header;
        _dataRemaining = header.DataLength < 0 ? long.MaxValue : header.DataLength;
    }

    /// <summary>The parsed header: format, where the data starts and how long it is.</summary>
    public WavHeader Header { get; }

    /// <summary>The audio's format.</summary>
    public AudioFormat Format => Header.Format;

    /// <summary>Set when the data ended early (truncated file, partial last frame).</summary>
    public string? Warning { get; private set; }

    /// <summary>Parses the header; throws <see cref="InvalidWavException"/> naming <paramref name="name"/> and the problem.</summary>
    public static async Task<WavReader> OpenAsync(PipeReader reader, long? streamLength, string name, CancellationToken cancellationToken = default)
    {
        var parser = new WavHeaderParser(streamLength);
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(cancellationToken);
                var buffer = result.Buffer;
                var status = parser.Feed(ref buffer, result.IsCompleted);
                reader.AdvanceTo(buffer.Start, buffer.End);
                switch (status)
                {
                    case WavParseStatus.Done:
                        return new WavReader(reader, parser.Header!);
                    case WavParseStatus.Error:
                        throw new InvalidWavException($"{name}: {parser.Error}");
                }
            }
        }
        catch
        {
            // Cancelled (a client that left while its source opened) or failed: the pipe owns the file, close it.
            await reader.CompleteAsync();
            throw;
        }
    }

    /// <summary>
    /// Returns up to <paramref name="maxBytes"/> of sample data (whole frames), waiting until that much is there
    /// or the data ends. An empty result means the end of the data.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int maxBytes, CancellationToken cancellationToken = default)
    {
        if (_holding)
        {
            throw new InvalidOperationException("Consume the previous block first.");
        }

        if (_ended || _dataRemaining == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        int wanted = (int)Math.Min(maxBytes, _dataRemaining);
        var result = await _reader.ReadAtLeastAsync(wanted, cancellationToken);
        var buffer = result.Buffer;
        long take = Math.Min(wanted, buffer.Length);
        if (take < wanted && result.IsCompleted)
        {
            _ended = true;
            long partial = take % Format.BlockAlign;
            take -= partial;
            if (_dataRemaining != long.MaxValue)
            {
                Warning = $"the data ended {_dataRemaining - take} bytes early";
            }
        }

        _held = buffer.Slice(0, take);
        _holding = true;
        return _held;
    }

    /// <summary>Releases the block returned by the last read.</summary>
    public void Consume()
    {
        if (!_holding)
        {
            return;
        }

        _dataRemaining -= _held.Length;
        _reader.AdvanceTo(_held.End);
        _holding = false;
    }

    /// <summary>Completes the file's pipe (closing the file).</summary>
    public ValueTask DisposeAsync() => _reader.CompleteAsync();
}
