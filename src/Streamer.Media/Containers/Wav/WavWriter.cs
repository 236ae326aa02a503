using System.Buffers.Binary;

namespace Streamer.Media.Containers.Wav;

/// <summary>
/// Writes a WAV file. The header's sizes are rewritten about once a second and on dispose, so the file is valid
/// on every exit path and even mostly valid if the process is killed.
/// </summary>
internal sealed class WavWriter : IDisposable
{
    private const int HeaderPatchIntervalSeconds = 1;

    private readonly FileStream _stream;
    private readonly string _path;
    private readonly AudioFormat _format;
    private readonly long _dataStart;
    private long _dataLength;
    private long _lastPatchedLength;
    private bool _disposed;

    public WavWriter(string path, AudioFormat format)
    {
        _format = format;
        _path = path;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        Span<byte> header = stackalloc byte[68];
        int length = WriteHeader(header, format, 0);
        _stream.Write(header[..length]);
        _dataStart = length;
    }

    public long DataLength => _dataLength;

    public void Write(ReadOnlySpan<byte> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Write(samples);
        _dataLength += samples.Length;
        if (_dataLength - _lastPatchedLength >= (long)_format.BytesPerSecond * HeaderPatchIntervalSeconds)
        {
            PatchSizes();
        }
    }

    /// <summary>Writes the final sizes and closes the file. Safe to call more than once.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        IOException? failure = null;
        try
        {
            if ((_dataLength & 1) != 0)
            {
                _stream.WriteByte(0);
            }

            PatchSizes();
        }
        catch (IOException ex)
        {
            // Disk full or gone: the buffered tail is lost, but the header can still describe what reached the disk.
            failure = ex;
            PatchSizesToFileLength();
        }

        try
        {
            _stream.Dispose();
        }
        catch (IOException ex)
        {
            // Closing retries the failed flush; the handle is released anyway. The first error is the one to report.
            failure ??= ex;
        }

        if (failure is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }
    }

    /// <summary>Writes a canonical header for <paramref name="dataLength"/> bytes of samples; returns its length.</summary>
    public static int WriteHeader(Span<byte> destination, AudioFormat format, long dataLength)
    {
        bool extensible = format.Channels > 2 || format.Encoding.BytesPerSample() > 2 && !format.Encoding.IsFloat() || format.ChannelMask != 0;
        int fmtLength = extensible ? 40 : format.Encoding.IsFloat() ? 18 : 16;
        int headerLength = 12 + 8 + fmtLength + 8;
        uint data = (uint)Math.Min(dataLength, uint.MaxValue - headerLength);
        "RIFF"u8.CopyTo(destination);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], (uint)(headerLength - 8 + data + (data & 1)));
        "WAVE"u8.CopyTo(destination[8..]);
        "fmt "u8.CopyTo(destination[12..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[16..], (uint)fmtLength);
        var fmt = destination.Slice(20, fmtLength);
        fmt.Clear();
        ushort tag = format.Encoding.IsFloat() ? WavFormatTags.IeeeFloat : WavFormatTags.Pcm;
        int bits = format.Encoding.BytesPerSample() * 8;
        BinaryPrimitives.WriteUInt16LittleEndian(fmt, extensible ? WavFormatTags.Extensible : tag);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[2..], (ushort)format.Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[4..], (uint)format.SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(fmt[8..], (uint)format.BytesPerSecond);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[12..], (ushort)format.BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(fmt[14..], (ushort)bits);
        if (extensible)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[16..], 22);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[18..], (ushort)bits);
            BinaryPrimitives.WriteInt32LittleEndian(fmt[20..], format.ChannelMask);
            BinaryPrimitives.WriteUInt16LittleEndian(fmt[24..], tag);
            WavFormatTags.SubFormatGuidTail.CopyTo(fmt[26..]);
        }

        "data"u8.CopyTo(destination[(20 + fmtLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(24 + fmtLength)..], data);
        return headerLength;
    }

    private void PatchSizes()
    {
        Span<byte> header = stackalloc byte[68];
        int length = WriteHeader(header, _format, _dataLength);
        long end = _stream.Position;
        _stream.Position = 0;
        _stream.Write(header[..length]);
        _stream.Position = end;
        _stream.Flush();
        _lastPatchedLength = _dataLength;
    }

    private void PatchSizesToFileLength()
    {
        try
        {
            // A second handle: the stream's own would first retry the flush that just failed. Rewriting existing
            // blocks needs no new space.
            using var handle = File.OpenHandle(_path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite);
            long onDisk = Math.Max(0, RandomAccess.GetLength(handle) - _dataStart);
            Span<byte> header = stackalloc byte[68];
            int length = WriteHeader(header, _format, onDisk - (onDisk % _format.BlockAlign));
            RandomAccess.Write(handle, header[..length], 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
