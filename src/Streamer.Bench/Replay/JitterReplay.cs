using HdrHistogram;
using Streamer.Bench.Trace;
using Streamer.Media;
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
    /// <exception cref="ArgumentException">The strategy name is not valid.</exception>
    public static ReplayScore Run(ArrivalTrace trace, string strategy, JitterBufferOptions jitter, double? blockMilliseconds = null)
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
        var run = new Simulation(trace, options, format, block);
        return run.Play(strategy);
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

        public Simulation(ArrivalTrace trace, JitterBufferOptions options, AudioFormat format, double blockMilliseconds)
        {
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
                    Write(missing, frame.Timestamp - ((ulong)(frame.Sequence - missing) * (ulong)_trace.FrameSamples));
                }

                _arrivals[frame.Sequence] = frame.ArrivalMicroseconds;
                Write(frame.Sequence, frame.Timestamp);
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

        private void Write(uint sequence, ulong timestamp)
        {
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
            _buffer.ReadClocked(_block, _now);
            _pulls++;
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
