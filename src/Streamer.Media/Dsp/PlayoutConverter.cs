using Streamer.Media.Playout;

namespace Streamer.Media.Dsp;

/// <summary>
/// For a device that cannot take the stream's layout: reads the source, converts to 32-bit float, maps channels
/// (extra source channels dropped, missing device channels repeat the last source channel) and resamples by
/// linear interpolation. Every buffer is allocated up front; <see cref="Fill(Span{float}, long)"/> runs on the audio callback.
/// </summary>
public sealed class PlayoutConverter
{
    private readonly IPlayoutSource _source;
    private readonly AudioFormat _from;
    private readonly int _toChannels;
    private readonly double _step;
    private readonly byte[] _raw;
    private readonly float[] _frames;
    private readonly float[] _previous;
    private double _phase;
    private bool _primed;

    /// <summary>Reads <paramref name="source"/> and converts to 32-bit float at <paramref name="toRate"/> Hz and <paramref name="toChannels"/> channels, in calls of at most <paramref name="maxFrames"/> device frames.</summary>
    public PlayoutConverter(IPlayoutSource source, int toRate, int toChannels, int maxFrames)
    {
        _source = source;
        _from = source.Format;
        _toChannels = toChannels;
        _step = (double)_from.SampleRate / toRate;
        int maxSourceFrames = (int)Math.Ceiling(maxFrames * _step) + 2;
        _raw = GC.AllocateUninitializedArray<byte>(maxSourceFrames * _from.BlockAlign, pinned: true);
        _frames = new float[(maxSourceFrames + 1) * _from.Channels];
        _previous = new float[_from.Channels];
    }

    /// <summary>Fills <paramref name="output"/> (interleaved float, device channels); false once the source has ended.</summary>
    public bool Fill(Span<float> output) => Fill(output, Streamer.Protocol.WallClock.NowMicroseconds());

    /// <summary>As <see cref="Fill(Span{float})"/>, for a block heard at <paramref name="presentationLocalUs"/>
    /// (the source's samples are placed by it; the interpolation's one-frame history is not counted).</summary>
    public bool Fill(Span<float> output, long presentationLocalUs)
    {
        int outFrames = output.Length / _toChannels;
        int channels = _from.Channels;

        // Source frames needed: interpolation reads frame floor(phase + i*step) and the one after it, where frame 0
        // is the last frame of the previous call.
        int needed = (int)Math.Floor(_phase + ((outFrames - 1) * _step)) + 1;
        int bytes = needed * _from.BlockAlign;
        int read = _source.ReadClocked(_raw.AsSpan(0, bytes), presentationLocalUs);
        int got = read / _from.BlockAlign;
        _previous.AsSpan().CopyTo(_frames);
        // The one sample decoder, shared with the encoder input path (PcmConverter).
        SampleConversion.ToFloat(_raw.AsSpan(0, got * _from.BlockAlign), _from.Encoding, _frames.AsSpan(channels));
        if (!_primed && got > 0)
        {
            _frames.AsSpan(channels, channels).CopyTo(_frames);
            _primed = true;
        }

        int available = got + 1;
        for (int i = 0; i < outFrames; i++)
        {
            double position = _phase + (i * _step);
            int index = (int)position;
            float fraction = (float)(position - index);
            for (int c = 0; c < _toChannels; c++)
            {
                int sc = Math.Min(c, channels - 1);
                float a = index < available ? _frames[(index * channels) + sc] : 0;
                float b = index + 1 < available ? _frames[((index + 1) * channels) + sc] : a;
                output[(i * _toChannels) + c] = a + ((b - a) * fraction);
            }
        }

        _phase = _phase + (outFrames * _step) - needed;
        if (got > 0)
        {
            _frames.AsSpan(got * channels, channels).CopyTo(_previous);
        }

        return read == bytes || !_source.IsCompleted;
    }
}
