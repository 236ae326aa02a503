using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Streamer.Media.Containers.Wav;

/// <summary>
/// Writes a WAV file that is valid at every moment: the header goes to disk first (for no data), samples are
/// gathered into chunks of at most a quarter second and each chunk is written with one positioned write followed
/// by a header rewrite with the sizes now on disk (two syscalls a chunk, none per packet). So even a process killed
/// with SIGKILL leaves a file whose header matches its data, holding every chunk that was written.
/// </summary>
internal sealed class WavWriter : IDisposable
{
    private const int MaxChunkBytes = 64 * 1024;
    private const int ChunksPerSecond = 4;

    private readonly SafeFileHandle _file;
    private readonly AudioFormat _format;
    private readonly long _dataStart;
    private readonly byte[] _chunk;
    private readonly int _chunkBytes;
    private int _buffered;
    private long _onDisk;
    private bool _disposed;

    public WavWriter(string path, AudioFormat format)
    {
        _format = format;
        _file = File.OpenHandle(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        Span<byte> header = stackalloc byte[68];
        int length = WriteHeader(header, format, 0);
        try
        {
            RandomAccess.Write(_file, header[..length], 0);
        }
        catch
        {
            _file.Dispose();
            throw;
        }

        _dataStart = length;
        // A whole number of sample frames, so the header never describes half a frame.
        int chunk = Math.Clamp(format.BytesPerSecond / ChunksPerSecond, format.BlockAlign, MaxChunkBytes);
        _chunkBytes = Math.Max(format.BlockAlign, chunk - (chunk % format.BlockAlign));
        _chunk = ArrayPool<byte>.Shared.Rent(_chunkBytes);
    }

    /// <summary>Sample bytes accepted so far (on disk or about to be).</summary>
    public long DataLength => _onDisk + _buffered;

    public void Write(ReadOnlySpan<byte> samples)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!samples.IsEmpty)
        {
            int take = Math.Min(samples.Length, _chunkBytes - _buffered);
            samples[..take].CopyTo(_chunk.AsSpan(_buffered));
            _buffered += take;
            samples = samples[take..];
            if (_buffered == _chunkBytes)
            {
                WriteChunk();
            }
        }
    }

    /// <summary>Writes what is gathered and the final sizes, and closes the file. Safe to call more than once.</summary>
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
            WriteChunk();
            if ((_onDisk & 1) != 0)
            {
                // RIFF chunks are padded to an even length; the header's data size stays the real one.
                RandomAccess.Write(_file, [0], _dataStart + _onDisk);
            }
        }
        catch (IOException ex)
        {
            // Disk full or gone: the header still describes what reached the disk.
            failure = ex;
            PatchSizesToFileLength();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(_chunk);
            _file.Dispose();
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

    /// <summary>Data first, then the header that counts it: a kill in between leaves a valid file one chunk short.</summary>
    private void WriteChunk()
    {
        if (_buffered == 0)
        {
            return;
        }

        RandomAccess.Write(_file, _chunk.AsSpan(0, _buffered), _dataStart + _onDisk);
        _onDisk += _buffered;
        _buffered = 0;
        Span<byte> header = stackalloc byte[68];
        int length = WriteHeader(header, _format, _onDisk);
        RandomAccess.Write(_file, header[..length], 0);
    }

    private void PatchSizesToFileLength()
    {
        try
        {
            long onDisk = Math.Max(0, RandomAccess.GetLength(_file) - _dataStart);
            Span<byte> header = stackalloc byte[68];
            int length = WriteHeader(header, _format, onDisk - (onDisk % _format.BlockAlign));
            RandomAccess.Write(_file, header[..length], 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
        }
    }
}
