using HdrHistogram;
using Streamer.Bench.Trace;
using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using System.Buffers;

namespace Streamer.Bench.Replay;

/// <summary>
/// <c>streamer bench replay</c>: plays one recorded trace's arrivals through the real <see cref="JitterBuffer"/> with
/// each strategy, on a simulated clock (no waiting: a minute of trace replays in milliseconds). Frames are written at
/// their recorded arrival times and an output pulls one block per period from the first arrival on, like
/// <c>play --output paced-null</c>; sequence gaps are concealed as the decoder does. The audio itself is silence of the
/// stream's layout: only timing is replayed.
/// </summary>
public static class JitterReplay
{
    private const long HighestMicroseconds = 3_600_000_000;

    /// <summary>Replays <paramref name="trace"/> through <paramref name="strategy"/> (bounds and drift settings from <paramref name="jitter"/>).</summary>
    /// <param name="trace">The arrivals.</param>
    /// <param name="strategy">A jitter strategy name (see <see cref="TargetDelayPolicies"/>).</param>
    /// <param name="jitter">The buffer's other options (adaptive bounds, drift compensation); its strategy is replaced.</param>
    /// <param name="blockMilliseconds">The output's block: the player's default is a quarter of the smallest target, 2.5–10 ms.</param>
    /// <param name="played">When given, opened with the stream's layout and sent every block the output pulled, from
    /// the first pull on (silence before the start, underruns and concealment included); the frames carry a 440 Hz tone
    /// at their media time (concealed ones are silence), so what a strategy does to the stream can be listened to.</param>
    /// <exception cref="ArgumentException">The strategy name is not valid.</exception>
    public static ReplayScore Run(ArrivalTrace trace, string strategy, JitterBufferOptions jitter, double? blockMilliseconds = null, IUnclockedOutput? played = null)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(jitter);
        var options = new JitterBufferOptions
        {
            Strategy = strategy,
            MinMilliseconds = jitter.MinMilliseconds,
            MaxMilliseconds = jitter.MaxMilliseconds,
            DriftCompensation = jitter.DriftCompensation,
            CapacityMilliseconds = jitter.CapacityMilliseconds,
            Synchronize = false,
        };
        double block = blockMilliseconds ?? Math.Clamp(options.SmallestTargetMilliseconds / 4, 2.5, 10);
        var format = new AudioFormat(trace.SampleRate, trace.Channels, SampleEncoding.Int16);
        var run = new Simulation(trace, options, format, block, played);
        played?.Open(format);
        return run.Play(strategy);
    }

    /// <summary>
    /// Writes the stream as its sender sent it: the replay's 440 Hz tone from the trace's first media timestamp to the
    /// end of its last frame, every frame present (those the trace misses were sent and lost on the way).
    /// </summary>
    /// <param name="trace">The arrivals.</param>
    /// <param name="input">Opened with the stream's layout and sent the tone.</param>
    public static void WriteSent(ArrivalTrace trace, IUnclockedOutput input)
    {
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(input);
        var format = new AudioFormat(trace.SampleRate, trace.Channels, SampleEncoding.Int16);
        input.Open(format);
        if (trace.Frames.Count == 0)
        {
            return;
        }

        byte[] frame = new byte[trace.FrameSamples * format.BlockAlign];
        ulong first = trace.Frames[0].Timestamp;
        ulong last = first;
        foreach (var f in trace.Frames)
        {
            last = Math.Max(last, f.Timestamp);
        }

        for (ulong timestamp = first; timestamp <= last; timestamp += (ulong)trace.FrameSamples)
        {
            Tone(frame, timestamp, trace.SampleRate, trace.Channels);
            input.Write(frame);
        }
    }

    /// <summary>Fills <paramref name="frame"/> (16-bit interleaved) with a 440 Hz tone at a quarter of full scale, from sample <paramref name="timestamp"/> on.</summary>
    private static void Tone(Span<byte> frame, ulong timestamp, int sampleRate, int channels)
    {
        int samples = frame.Length / (2 * channels);
        for (int n = 0; n < samples; n++)
        {
            double phase = 2 * Math.PI * 440 * ((double)((timestamp + (ulong)n) % (ulong)sampleRate) / sampleRate);
            short value = (short)Math.Round(8192 * Math.Sin(phase));
            for (int c = 0; c < channels; c++)
            {
                System.Buffers.Binary.BinaryPrimitives.WriteInt16LittleEndian(frame[(((n * channels) + c) * 2)..], value);
            }
        }
    }

    private sealed class Simulation : IPlayoutLog
    {
        private readonly ArrivalTrace _trace;
        private readonly AudioFormat _format;
        private readonly PlaybackStats _stats = new();
        private readonly JitterBuffer _buffer;
        private readonly int _blockFrames;
        private readonly double _blockUs;
        private readonly byte[] _frame;
        private readonly byte[] _block;
        private readonly IUnclockedOutput? _played;
        private readonly Dictionary<uint, long> _arrivals = [];
        private readonly LongHistogram _delays = new(HighestMicroseconds, 3);
        private double _delaySumUs;
        private long _now;
        private long _pulls;
        private long _firstPullUs;
        private bool _started;
        private bool _completed;
        private long _silenceFrames;
        private long _slips;

        public Simulation(ArrivalTrace trace, JitterBufferOptions options, AudioFormat format, double blockMilliseconds, IUnclockedOutput? played)
        {
            _played = played;
            _trace = trace;
            _format = format;
            _buffer = new JitterBuffer(format, options, _stats, () => _now, this);
            _blockFrames = Math.Max(1, (int)Math.Round(format.SampleRate * blockMilliseconds / 1000));
            _blockUs = _blockFrames * 1e6 / format.SampleRate;
            _frame = new byte[trace.FrameSamples * format.BlockAlign];
            _block = new byte[_blockFrames * format.BlockAlign];
        }

        public ReplayScore Play(string strategy)
        {
            var frames = _trace.Frames;
            if (frames.Count == 0)
            {
                return new ReplayScore(strategy, 0, 0, 0, 0, 0, 0, 0, 0, 0);
            }

            _firstPullUs = frames[0].ArrivalMicroseconds;
            uint expected = frames[0].Sequence;
            double target = _buffer.TargetMilliseconds;
            long targetChanges = 0;
            foreach (var frame in frames)
            {
                PullUntil(frame.ArrivalMicroseconds);
                _now = frame.ArrivalMicroseconds;
                if (frame.Sequence < expected)
                {
                    _stats.AddLate();
                    continue;
                }

                // Frames missing before this one are concealed (the decoder writes a frame of its concealment each).
                for (uint missing = expected; missing < frame.Sequence; missing++)
                {
                    _stats.AddLost(1);
                    _stats.AddConcealed(1);
                    Write(missing, frame.Timestamp - ((ulong)(frame.Sequence - missing) * (ulong)_trace.FrameSamples), concealed: true);
                }

                _arrivals[frame.Sequence] = frame.ArrivalMicroseconds;
                Write(frame.Sequence, frame.Timestamp, concealed: false);
                expected = frame.Sequence + 1;
                if (_buffer.TargetMilliseconds != target)
                {
                    target = _buffer.TargetMilliseconds;
                    targetChanges++;
                }
            }

            _buffer.Complete();
            _completed = true;
            // Plays out what is held; bounded, as the buffer holds at most its capacity.
            long limit = _pulls + (long)(10 * 1e6 / _blockUs);
            while (!_buffer.IsCompleted && _pulls < limit)
            {
                Pull();
            }

            long played = _delays.TotalCount;
            return new ReplayScore(
                strategy,
                played,
                _stats.Underruns,
                _stats.Concealed * _trace.FrameMilliseconds,
                _silenceFrames * 1000.0 / _format.SampleRate,
                played == 0 ? 0 : _delaySumUs / played / 1000,
                played == 0 ? 0 : _delays.GetValueAtPercentile(99) / 1000.0,
                targetChanges,
                _slips,
                _stats.Late);
        }

        public void Played(uint sequence, ulong timestamp, long presentedServerUs)
        {
            if (_arrivals.Remove(sequence, out long arrived))
            {
                long delay = Math.Max(0, presentedServerUs - arrived);
                _delaySumUs += delay;
                _delays.RecordValue(Math.Min(delay, HighestMicroseconds));
            }
        }

        private void Write(uint sequence, ulong timestamp, bool concealed)
        {
            if (_played is not null)
            {
                if (concealed)
                {
                    Array.Clear(_frame);
                }
                else
                {
                    Tone(_frame, timestamp, _format.SampleRate, _format.Channels);
                }
            }

            var stamp = new FrameStamp(sequence, timestamp, _now, FrameStamp.None);
            // A full buffer would hold the receive loop back (TCP back-pressure): play until the frame fits.
            long limit = _pulls + (long)(10 * 1e6 / _blockUs);
            while (!_buffer.TryWrite(new ReadOnlySequence<byte>(_frame), stamp) && _pulls < limit)
            {
                Pull();
                _now = Math.Max(_now, PullTime(_pulls));
            }
        }

        private void PullUntil(long timeUs)
        {
            while (PullTime(_pulls) <= timeUs)
            {
                Pull();
            }
        }

        private long PullTime(long pull) => _firstPullUs + (long)Math.Round(pull * _blockUs);

        private void Pull()
        {
            _now = Math.Max(_now, PullTime(_pulls));
            long before = _stats.SamplesPlayed;
            long underruns = _stats.Underruns;
            int filled = _buffer.ReadClocked(_block, _now);
            _pulls++;
            if (_played is not null)
            {
                // A clocked output plays a whole block each period: what the buffer did not fill is silence.
                _block.AsSpan(filled).Clear();
                _played.Write(_block);
            }

            long consumed = _stats.SamplesPlayed - before;
            if (consumed > 0)
            {
                _started = true;
            }

            if (!_started || _completed)
            {
                // Before the first sample and after the last, silence is the stream's edges, not a fault.
                return;
            }

            if (consumed > 0 && _stats.Underruns == underruns)
            {
                _slips += Math.Abs(consumed - _blockFrames);
            }
            else
            {
                _silenceFrames += Math.Max(0, _blockFrames - consumed);
            }
        }
    }
}
