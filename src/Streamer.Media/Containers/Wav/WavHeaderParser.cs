using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;

namespace Streamer.Media.Containers.Wav;

/// <summary>
/// Incremental RIFF/WAVE header parser. Feed it bytes as they arrive; it consumes what it has understood,
/// skips chunks it does not need (LIST, JUNK, fact, …) without buffering them, and stops at the data chunk.
/// </summary>
internal sealed class WavHeaderParser
{
    private const int MaxFmtLength = 4096;
    private const uint UnknownSize = 0xFFFFFFFF;

    private readonly long? _fileLength;
    private State _state = State.Riff;
    private long _position;
    private long _skipRemaining;
    private uint _fmtLength;
    private AudioFormat? _format;

    /// <param name="fileLength">Total bytes in the file, when known: lets chunk sizes be checked against it.</param>
    public WavHeaderParser(long? fileLength)
    {
        _fileLength = fileLength;
    }

    private enum Step
    {
        Continue,
        NeedMoreData,
        Done,
        Error,
    }

    private enum State
    {
        Riff,
        ChunkHeader,
        Fmt,
        Skip,
        Done,
    }

    public WavHeader? Header { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Parses as far as the buffer allows and slices off what was consumed.</summary>
    /// <param name="buffer">The bytes so far; what was consumed is sliced off.</param>
    /// <param name="isFinalBlock">No more bytes will come: a header still incomplete is an error.</param>
    public WavParseStatus Feed(ref ReadOnlySequence<byte> buffer, bool isFinalBlock)
    {
        while (true)
        {
            var step = _state switch
            {
                State.Riff => ReadRiff(ref buffer),
                State.ChunkHeader => ReadChunkHeader(ref buffer),
                State.Fmt => ReadFmt(ref buffer),
                State.Skip => SkipChunk(ref buffer),
                _ => Header is null ? Step.Error : Step.Done,
            };
            switch (step)
            {
                case Step.Continue:
                    continue;
                case Step.Done:
                    return WavParseStatus.Done;
                case Step.Error:
                    return WavParseStatus.Error;
                default:
                    return isFinalBlock ? Fail(EndOfFileProblem()) : WavParseStatus.NeedMoreData;
            }
        }
    }

    private Step ReadRiff(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length >= 4 && !StartsWith(buffer, "RIFF"u8))
        {
            return FailStep(StartsWith(buffer, "RF64"u8) ? "RF64 files are not supported" : "not a RIFF/WAVE file (no RIFF signature)");
        }

        if (buffer.Length < 12)
        {
            return Step.NeedMoreData;
        }

        if (!StartsWith(buffer.Slice(8), "WAVE"u8))
        {
            return FailStep("not a RIFF/WAVE file (RIFF form type is not WAVE)");
        }

        Consume(ref buffer, 12);
        _state = State.ChunkHeader;
        return Step.Continue;
    }

    private Step ReadChunkHeader(ref ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < 8)
        {
            return Step.NeedMoreData;
        }

        Span<byte> head = stackalloc byte[8];
        buffer.Slice(0, 8).CopyTo(head);
        uint size = BinaryPrimitives.ReadUInt32LittleEndian(head[4..]);
        string id = ChunkId(head[..4]);
        long bodyStart = _position + 8;
        Consume(ref buffer, 8);

        if (id == "data")
        {
            if (_format is not { } format)
            {
                return FailStep("data chunk comes before any fmt chunk");
            }

            return FinishAtData(format, bodyStart, size);
        }

        if (_fileLength is { } fileLength && bodyStart + size > fileLength)
        {
            return FailStep(Invariant($"chunk '{id}' of {size} bytes at offset {bodyStart - 8} runs past the end of the file ({fileLength} bytes)"));
        }

        if (id == "fmt ")
        {
            if (_format is not null)
            {
                return FailStep("more than one fmt chunk");
            }

            if (size > MaxFmtLength)
            {
                return FailStep(Invariant($"fmt chunk of {size} bytes is implausibly large"));
            }

            _fmtLength = size;
            _state = State.Fmt;
            return Step.Continue;
        }

        _skipRemaining = size + (size & 1);
        _state = State.Skip;
        return Step.Continue;
    }

    private Step ReadFmt(ref ReadOnlySequence<byte> buffer)
    {
        long padded = _fmtLength + (_fmtLength & 1);
        if (buffer.Length < padded && !(buffer.Length >= _fmtLength && IsAtEndOfFile(_fmtLength)))
        {
            return Step.NeedMoreData;
        }

        Span<byte> fmt = stackalloc byte[(int)_fmtLength];
        buffer.Slice(0, _fmtLength).CopyTo(fmt);
        string? problem = WavFmtChunk.TryParse(fmt, out var format);
        if (problem is not null)
        {
            return FailStep(problem);
        }

        _format = format;
        Consume(ref buffer, Math.Min(padded, buffer.Length));
        _state = State.ChunkHeader;
        return Step.Continue;
    }

    private Step SkipChunk(ref ReadOnlySequence<byte> buffer)
    {
        long step = Math.Min(_skipRemaining, buffer.Length);
        Consume(ref buffer, step);
        _skipRemaining -= step;
        if (_skipRemaining > 0)
        {
            return Step.NeedMoreData;
        }

        _state = State.ChunkHeader;
        return Step.Continue;
    }

    private Step FinishAtData(AudioFormat format, long dataOffset, uint size)
    {
        long length = size is 0 or UnknownSize ? -1 : size;
        string? warning = null;
        if (_fileLength is { } fileLength)
        {
            long available = fileLength - dataOffset;
            if (length < 0)
            {
                length = available;
            }
            else if (length > available)
            {
                warning = Invariant($"data chunk declares {size} bytes but the file holds only {available}; streaming what is there");
                length = available;
            }

            long partial = length % format.BlockAlign;
            if (partial != 0)
            {
                warning ??= Invariant($"data ends with a partial sample frame of {partial} bytes; it is ignored");
                length -= partial;
            }
        }

        Header = new WavHeader(format, dataOffset, length, warning);
        _state = State.Done;
        return Step.Done;
    }

    private bool IsAtEndOfFile(long bytesFromHere) => _fileLength is { } length && _position + bytesFromHere >= length;

    private string EndOfFileProblem() => _state switch
    {
        State.Riff when _position == 0 => "file is empty or shorter than a RIFF header",
        State.Riff => "truncated RIFF header",
        State.Fmt => "truncated fmt chunk",
        _ when _format is null => "no fmt chunk",
        _ => "no data chunk",
    };

    private WavParseStatus Fail(string problem)
    {
        Error = problem;
        _state = State.Done;
        return WavParseStatus.Error;
    }

    private Step FailStep(string problem)
    {
        Fail(problem);
        return Step.Error;
    }

    private void Consume(ref ReadOnlySequence<byte> buffer, long count)
    {
        buffer = buffer.Slice(count);
        _position += count;
    }

    private static bool StartsWith(ReadOnlySequence<byte> buffer, ReadOnlySpan<byte> prefix)
    {
        Span<byte> head = stackalloc byte[prefix.Length];
        if (buffer.Length < prefix.Length)
        {
            return false;
        }

        buffer.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }

    private static string ChunkId(ReadOnlySpan<byte> id)
    {
        Span<char> chars = stackalloc char[4];
        for (int i = 0; i < 4; i++)
        {
            chars[i] = id[i] is >= 0x20 and < 0x7F ? (char)id[i] : '?';
        }

        return new string(chars);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
