using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Sources;
using Streamer.Protocol.Threading;

namespace Streamer.Streaming.Http;

/// <summary>
/// A broadcast's frames, decoded back to PCM, as a source for the one Opus encoder of the HTTP stream: it follows
/// the broadcast's ring from the live edge like any listener (a PCM payload is copied, a G.711 one expanded), so the
/// transcoder reuses the sender's own <see cref="Send.EncodingPacketizer"/> (conversion, resampling, framing). A
/// transcoder that falls behind skips to the newest frame, as a listener does. Nothing is allocated per frame.
/// </summary>
internal sealed class BroadcastPcmSource : IAudioSource
{
    private readonly IFrameFeed _broadcast;
    private readonly IAudioDecoder _decoder;
    private readonly AsyncSignal _wake = new(runContinuationsAsynchronously: true);
    private readonly FrameScratch _scratch = new(4096);
    private readonly int _frameBytes;
    private byte[] _pcm = [];
    private int _buffered;
    private int _consumed;
    private long _cursor = -1;
    private bool _subscribed;

    public BroadcastPcmSource(IFrameFeed broadcast, IAudioDecoder decoder)
    {
        _broadcast = broadcast;
        _decoder = decoder;
        _frameBytes = broadcast.Info.FrameSamples * decoder.OutputFormat.BlockAlign;
    }

    public AudioFormat Format => _decoder.OutputFormat;

    public long? TotalFrames => null;

    /// <summary>Frames skipped because the encoder fell behind the broadcast.</summary>
    public long FramesSkipped { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        int want = frames * Format.BlockAlign;
        Compact(want);
        if (!_subscribed)
        {
            _broadcast.Add(_wake);
            _subscribed = true;
            _cursor = _broadcast.Ring.Next;
        }

        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), _wake);
        var ring = _broadcast.Ring;
        while (_buffered - _consumed < want)
        {
            cancellationToken.ThrowIfCancellationRequested();
            long edge = ring.Next;
            if (_cursor < edge)
            {
                if (edge - _cursor > _broadcast.MaxLagFrames)
                {
                    FramesSkipped += edge - 1 - _cursor;
                    _cursor = edge - 1;
                }

                DecodeAt(ring);
                continue;
            }

            if (_broadcast.Ended)
            {
                break;
            }

            await _wake.WaitAsync();
        }

        int take = Math.Min(want, _buffered - _consumed);
        var block = new ReadOnlySequence<byte>(_pcm, _consumed, take);
        _consumed += take;
        return block;
    }

    public ValueTask DisposeAsync()
    {
        if (_subscribed)
        {
            _broadcast.Remove(_wake);
        }

        _decoder.Dispose();
        return ValueTask.CompletedTask;
    }

    private void DecodeAt(Send.FrameRing ring)
    {
        _scratch.Truncate(0);
        if (!ring.TryCopy(_cursor, _scratch, out int payloadLength, out _))
        {
            // Lapped while it waited: on from the newest frame.
            long newest = ring.Next - 1;
            FramesSkipped += Math.Max(0, newest - _cursor);
            _cursor = Math.Max(_cursor + 1, newest);
            return;
        }

        var payload = _scratch.WrittenSpan[^payloadLength..];
        var target = _pcm.AsSpan(_buffered);
        int written = _decoder.Decode(payload, target);
        if (written < 0)
        {
            written = _decoder.Conceal(_broadcast.Info.FrameSamples, ReadOnlySpan<byte>.Empty, target);
        }

        _buffered += written;
        _cursor++;
    }

    /// <summary>Moves what is left to the front, and makes room for a request plus one decoded frame (once).</summary>
    private void Compact(int want)
    {
        int left = _buffered - _consumed;
        int needed = want + (2 * _frameBytes);
        if (_pcm.Length < needed)
        {
            var grown = new byte[needed];
            _pcm.AsSpan(_consumed, left).CopyTo(grown);
            _pcm = grown;
        }
        else
        {
            _pcm.AsSpan(_consumed, left).CopyTo(_pcm);
        }

        _consumed = 0;
        _buffered = left;
    }
}
