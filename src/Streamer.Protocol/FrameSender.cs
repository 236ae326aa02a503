using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using MessagePack;

namespace Streamer.Protocol;

/// <summary>
/// Writes whole frames to a pipe from any number of tasks; one frame is written and flushed at a time.
/// Audio frames go straight into the pipe's memory; control payloads pass through a reused scratch buffer.
/// </summary>
public sealed class FrameSender : IDisposable
{
    private readonly PipeWriter _output;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _scratch = new(512);

    /// <summary>Writes frames to <paramref name="output"/>.</summary>
    public FrameSender(PipeWriter output)
    {
        _output = output;
    }

    /// <summary>Sends a control message; returns false when the peer is gone.</summary>
    public async ValueTask<bool> SendAsync(IControlMessage message, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            _scratch.ResetWrittenCount();
            var writer = new MessagePackWriter(_scratch);
            message.Write(ref writer);
            writer.Flush();
            FrameWriter.Write(_output, FrameHeader.Control(message.Kind), _scratch.WrittenSpan);
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Sends a frame with an empty payload (e.g. ping).</summary>
    public async ValueTask<bool> SendEmptyAsync(FrameKind kind, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            FrameWriter.Write(_output, FrameHeader.Control(kind), ReadOnlySpan<byte>.Empty);
            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Sends an audio frame whose payload is a slice of another pipe (no intermediate copy). With
    /// <paramref name="flush"/> false the frame may wait in the pipe until <see cref="FlushThreshold"/> bytes
    /// are pending (bulk transfers: fewer, larger socket writes); live streams flush every frame.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> SendAudioAsync(uint sequence, ulong timestamp, ReadOnlySequence<byte> payload, bool flush = true, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            FrameWriter.Write(_output, new FrameHeader(FrameKind.Audio, sequence, timestamp, WallClock.NowMicroseconds()), payload);
            if (!flush && _output.UnflushedBytes < FlushThreshold)
            {
                return true;
            }

            var result = await _output.FlushAsync(cancellationToken);
            return !result.IsCompleted;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Bytes that may wait unflushed when a caller sends without flushing.</summary>
    public const int FlushThreshold = 64 * 1024;

    /// <summary>Ends the output after any frame being written; later sends return false.</summary>
    public async ValueTask CompleteAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await _output.CompleteAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Releases the write gate; the pipe is not completed (its owner does that).</summary>
    public void Dispose() => _gate.Dispose();
}
