using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// Blocks of whole sample frames from a pipe of raw interleaved PCM, as slices of the pipe's own buffers (no copy),
/// up to an optional byte limit (a WAV stream's declared data length). At the end of the pipe, bytes short of a whole
/// sample frame are dropped and reported in <see cref="PartialFrameBytes"/>.
/// </summary>
public sealed class PcmBlockReader : IAsyncDisposable
{
    private readonly PipeReader _reader;
    private readonly int _blockAlign;
    private long _remaining;
    private ReadOnlySequence<byte> _held;
    private bool _holding;
    private bool _ended;

    /// <param name="reader">The pipe; the reader owns it from here.</param>
    /// <param name="blockAlign">Bytes per sample frame.</param>
    /// <param name="limitBytes">Bytes to read at most, or null to read to the end of the pipe.</param>
    public PcmBlockReader(PipeReader reader, int blockAlign, long? limitBytes)
    {
        _reader = reader;
        _blockAlign = blockAlign;
        _remaining = limitBytes ?? long.MaxValue;
    }

    /// <summary>Bytes of a partial sample frame dropped at the end of the pipe (0 when it ended on a frame boundary).</summary>
    public int PartialFrameBytes { get; private set; }

    /// <summary>Whether the data ended (the pipe completed or the limit was reached).</summary>
    public bool Ended => _ended || _remaining == 0;

    /// <summary>
    /// Up to <paramref name="frames"/> whole sample frames, waiting until that many are there or the data ends; fewer
    /// only at the end, empty after it. Releases the previous block.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        Release();
        if (Ended)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        int wanted = (int)Math.Min((long)frames * _blockAlign, _remaining);
        var result = await _reader.ReadAtLeastAsync(wanted, cancellationToken);
        var buffer = result.Buffer;
        long take = Math.Min(wanted, buffer.Length);
        if (take < wanted && result.IsCompleted)
        {
            _ended = true;
            long partial = take % _blockAlign;
            PartialFrameBytes = (int)partial;
            take -= partial;
        }

        _held = buffer.Slice(0, take);
        _holding = true;
        return _held;
    }

    /// <summary>Gives the last block back to the pipe (done by the next read, or explicitly).</summary>
    public void Release()
    {
        if (!_holding)
        {
            return;
        }

        _remaining -= _held.Length;
        _reader.AdvanceTo(_held.End);
        _holding = false;
    }

    /// <summary>Completes the underlying pipe reader.</summary>
    public ValueTask DisposeAsync()
    {
        _holding = false;
        return _reader.CompleteAsync();
    }
}
