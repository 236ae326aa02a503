using Streamer.Core.Protocol;
using Streamer.Core.Threading;

namespace Streamer.Audio.Playback;

/// <summary>
/// Holds decoded audio between the network and the output. The receive loop writes frames in; an output pulls
/// them out, either clocked (a sound card: fills silence on underrun and re-buffers to the target) or unclocked
/// (a file: takes data as soon as it is there). Single producer, single consumer, lock-free.
/// </summary>
public sealed class JitterBuffer : IPlayoutSource
{
    private readonly ByteRing _ring;
    private readonly TimingRing _timings;
    // An unclocked output (a file) runs on the receive thread when data arrives: no thread hop per frame.
    private readonly AsyncSignal _dataAvailable = new(runContinuationsAsynchronously: false);

    // Signalled from the output's thread, which may be an audio callback: the receive loop must not run there.
    private readonly AsyncSignal _spaceAvailable = new(runContinuationsAsynchronously: true);
    private readonly PlaybackStats _stats;
    private readonly int _targetBytes;
    private volatile bool _completed;
    private bool _playing;

    public JitterBuffer(AudioFormat format, JitterBufferOptions options, PlaybackStats stats)
    {
        Format = format;
        _stats = stats;
        _targetBytes = Math.Max(format.BlockAlign, format.BytesFor(TimeSpan.FromMilliseconds(options.TargetMilliseconds)));
        int capacity = Math.Max(_targetBytes * 2, format.BytesFor(TimeSpan.FromMilliseconds(options.CapacityMilliseconds)));
        _ring = new ByteRing(capacity - (capacity % format.BlockAlign));
        _timings = new TimingRing(4096);
    }

    public AudioFormat Format { get; }

    public bool IsCompleted => _completed && _ring.Count == 0;

    /// <summary>Buffered audio in ms.</summary>
    public double DepthMilliseconds => _ring.Count * 1000.0 / Format.BytesPerSecond;

    public double TargetMilliseconds => _targetBytes * 1000.0 / Format.BytesPerSecond;

    /// <summary>Producer: appends one decoded frame, or returns false if it does not fit yet (await <see cref="WaitForSpaceAsync"/>).</summary>
    public bool TryWrite(ReadOnlySpan<byte> pcm, long sendTimeUs)
    {
        if (pcm.Length > _ring.FreeSpace)
        {
            return false;
        }

        _timings.TryAdd(new FrameTiming(_ring.WritePosition, sendTimeUs, WallClock.NowMicroseconds()));
        _ring.TryWrite(pcm);
        _dataAvailable.Set();
        return true;
    }

    /// <summary>Producer: waits until at least <paramref name="bytes"/> fit (or the frame can never fit).</summary>
    public async ValueTask WaitForSpaceAsync(int bytes, CancellationToken cancellationToken)
    {
        while (_ring.FreeSpace < Math.Min(bytes, _ring.Capacity))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _spaceAvailable.WaitAsync();
        }
    }

    /// <summary>Producer: no more frames will come.</summary>
    public void Complete()
    {
        _completed = true;
        _dataAvailable.Set();
    }

    /// <summary>Wakes any waiter so it can observe cancellation.</summary>
    public void Wake()
    {
        _dataAvailable.Set();
        _spaceAvailable.Set();
    }

    public async ValueTask WaitForDataAsync(CancellationToken cancellationToken)
    {
        while (_ring.Count == 0 && !_completed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await _dataAvailable.WaitAsync();
        }
    }

    public int Read(Span<byte> buffer)
    {
        int count = _ring.Read(buffer[..(buffer.Length - (buffer.Length % Format.BlockAlign))]);
        AfterRead(count);
        return count;
    }

    public int ReadClocked(Span<byte> buffer)
    {
        int buffered = _ring.Count;
        if (!_playing)
        {
            if (buffered < _targetBytes && !_completed)
            {
                Silence.Fill(buffer, Format.Encoding);
                return buffer.Length;
            }

            _playing = true;
        }

        int count = Read(buffer);
        if (count < buffer.Length)
        {
            Silence.Fill(buffer[count..], Format.Encoding);
            if (_completed)
            {
                return count;
            }

            _stats.AddUnderrun();
            _playing = false;
        }

        return buffer.Length;
    }

    private void AfterRead(int count)
    {
        if (count == 0)
        {
            return;
        }

        _stats.AddPlayed(count / Format.BlockAlign);
        long now = WallClock.NowMicroseconds();
        long position = _ring.ReadPosition;
        while (_timings.TryTakeBefore(position, out var timing))
        {
            _stats.Latency.Record(now - timing.SendTimeUs);
        }

        _spaceAvailable.Set();
    }
}
