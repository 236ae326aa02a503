namespace Streamer.Media.Dsp;

/// <summary>
/// Streaming sample-rate converter for interleaved float audio: a Kaiser-windowed sinc centred on each output
/// instant, so output frame n sits exactly at input time n × in / out (no added delay, no drift). The cutoff follows
/// the lower of the two rates, which makes it an anti-aliasing filter when downsampling (48 kHz to 8 kHz for G.711).
/// </summary>
internal sealed class Resampler
{
    private const int ZeroCrossings = 16;
    private const int TableResolution = 128;
    private const double KaiserBeta = 8.6;

    private readonly int _inRate;
    private readonly int _outRate;
    private readonly int _channels;
    private readonly int _halfTaps;
    private readonly float[] _kernel;
    private readonly float[] _history;
    private long _historyStart;
    private int _historyFrames;
    private long _inputFrames;
    private long _nextOutput;

    /// <param name="inRate">The input sample rate.</param>
    /// <param name="outRate">The output sample rate.</param>
    /// <param name="channels">Interleaved channels.</param>
    /// <param name="maxInputFrames">Most frames one <see cref="Push"/> brings; sizes the history once.</param>
    public Resampler(int inRate, int outRate, int channels, int maxInputFrames)
    {
        int gcd = Gcd(inRate, outRate);
        _inRate = inRate / gcd;
        _outRate = outRate / gcd;
        _channels = channels;
        double cutoff = 0.95 * Math.Min(1.0, (double)outRate / inRate);
        _halfTaps = (int)Math.Ceiling(ZeroCrossings / cutoff);
        _kernel = new float[(_halfTaps * TableResolution) + 2];
        double i0Beta = BesselI0(KaiserBeta);
        for (int i = 0; i < _kernel.Length; i++)
        {
            double x = (double)i / TableResolution;
            double ratio = Math.Min(1.0, x / _halfTaps);
            double window = BesselI0(KaiserBeta * Math.Sqrt(1 - (ratio * ratio))) / i0Beta;
            double sinc = x == 0 ? 1 : Math.Sin(Math.PI * cutoff * x) / (Math.PI * cutoff * x);
            _kernel[i] = (float)(cutoff * sinc * window);
        }

        _history = new float[((2 * _halfTaps) + maxInputFrames + 4) * channels];
    }

    /// <summary>Frames of output <paramref name="inputFrames"/> of input become.</summary>
    public long OutputFramesFor(long inputFrames) => ((inputFrames * _outRate) + _inRate - 1) / _inRate;

    /// <summary>Upper bound of the frames one <see cref="Push"/> or <see cref="Flush"/> returns.</summary>
    public int MaxOutputFrames(int inputFrames) => (int)OutputFramesFor(inputFrames + (2L * _halfTaps) + 2) + 1;

    /// <summary>Adds input and writes every output frame it completes; returns frames written.</summary>
    public int Push(ReadOnlySpan<float> input, Span<float> output)
    {
        Compact();
        int frames = input.Length / _channels;
        input[..(frames * _channels)].CopyTo(_history.AsSpan(_historyFrames * _channels));
        _historyFrames += frames;
        _inputFrames += frames;
        return Produce(output, long.MaxValue, atEnd: false);
    }

    /// <summary>At the end of the input: writes the remaining output frames, treating what follows as silence.</summary>
    public int Flush(Span<float> output) => Produce(output, OutputFramesFor(_inputFrames), atEnd: true);

    private int Produce(Span<float> output, long limit, bool atEnd)
    {
        int written = 0;
        while (_nextOutput < limit)
        {
            long numerator = _nextOutput * _inRate;
            long center = numerator / _outRate;
            if (!atEnd && center + _halfTaps >= _historyStart + _historyFrames)
            {
                break;
            }

            double fraction = (double)(numerator % _outRate) / _outRate;
            Interpolate(center, fraction, output.Slice(written * _channels, _channels));
            written++;
            _nextOutput++;
        }

        return written;
    }

    private void Interpolate(long center, double fraction, Span<float> frame)
    {
        frame.Clear();
        long first = Math.Max(center - _halfTaps + 1, _historyStart);
        long last = Math.Min(center + _halfTaps, _historyStart + _historyFrames - 1);
        for (long k = first; k <= last; k++)
        {
            double distance = Math.Abs(k - center - fraction) * TableResolution;
            int index = (int)distance;
            if (index >= _kernel.Length - 1)
            {
                continue;
            }

            float weight = _kernel[index] + ((_kernel[index + 1] - _kernel[index]) * (float)(distance - index));
            int offset = (int)(k - _historyStart) * _channels;
            for (int c = 0; c < frame.Length; c++)
            {
                frame[c] += weight * _history[offset + c];
            }
        }
    }

    private void Compact()
    {
        long needed = (_nextOutput * _inRate / _outRate) - _halfTaps + 1;
        int drop = (int)Math.Clamp(needed - _historyStart, 0, _historyFrames);
        if (drop == 0)
        {
            return;
        }

        _history.AsSpan(drop * _channels, (_historyFrames - drop) * _channels).CopyTo(_history);
        _historyFrames -= drop;
        _historyStart += drop;
    }

    private static double BesselI0(double x)
    {
        double sum = 1, term = 1;
        for (int k = 1; k < 50; k++)
        {
            term *= x * x / (4.0 * k * k);
            sum += term;
            if (term < 1e-12 * sum)
            {
                break;
            }
        }

        return sum;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }
}
