using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Streamer.Protocol;

/// <summary>
/// Reads frames from a pipe. Each frame's payload stays a slice of the pipe's buffer, valid until the next
/// <see cref="ReadAsync"/>. Several frames that arrived together are returned without another read.
/// </summary>
internal sealed class FrameReader
{
    private readonly PipeReader _reader;
    private readonly long _maxFrameLength;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdsBuffer;
    private bool _completed;

    public FrameReader(PipeReader reader, long maxFrameLength = FrameParser.DefaultMaxFrameLength)
    {
        _reader = reader;
        _maxFrameLength = maxFrameLength;
    }

    /// <summary>The frame returned by the last successful read.</summary>
    public Frame Current { get; private set; }

    /// <summary>For <see cref="FrameReadOutcome.TooLarge"/>: the length the peer announced.</summary>
    public long AnnouncedLength { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FrameReadOutcome> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_holdsBuffer)
            {
                var status = FrameParser.TryRead(ref _buffer, _maxFrameLength, out var frame, out long announced);
                switch (status)
                {
                    case FrameReadStatus.Frame:
                        Current = frame;
                        return FrameReadOutcome.Frame;
                    case FrameReadStatus.TooLarge:
                        AnnouncedLength = announced;
                        Release();
                        return FrameReadOutcome.TooLarge;
                    case FrameReadStatus.Malformed:
                        Release();
                        return FrameReadOutcome.Malformed;
                }

                bool empty = _buffer.IsEmpty;
                Release();
                if (_completed)
                {
                    return empty ? FrameReadOutcome.End : FrameReadOutcome.Truncated;
                }
            }
            else if (_completed)
            {
                return FrameReadOutcome.End;
            }

            var result = await _reader.ReadAsync(cancellationToken);
            _buffer = result.Buffer;
            _holdsBuffer = true;
            _completed = result.IsCompleted || result.IsCanceled;
        }
    }

    private void Release()
    {
        // Consumed up to the unparsed remainder, examined everything: the next read waits for new bytes.
        _reader.AdvanceTo(_buffer.Start, _buffer.End);
        _holdsBuffer = false;
    }
}
