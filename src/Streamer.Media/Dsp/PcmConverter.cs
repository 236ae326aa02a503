using System.Buffers;

namespace Streamer.Media.Dsp;

/// <summary>
/// Brings source PCM to what an encoder takes: 16-bit samples at the encoder's rate, same channels. Buffers are
/// sized once for the largest block the caller announced; converting a block allocates nothing.
/// </summary>
public sealed class PcmConverter
{
    private readonly AudioFormat _source;
    private readonly Resampler? _resampler;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly byte[] _gather;

    /// <summary>Converts whole frames of <paramref name="source"/> into <paramref name="target"/> (16-bit, same channels, any rate), in blocks of at most <paramref name="maxInputFrames"/> frames.</summary>
    /// <exception cref="ArgumentException"><paramref name="target"/> is not 16-bit or has other channels.</exception>
    public PcmConverter(AudioFormat source, AudioFormat target, int maxInputFrames)
    {
        if (target.Encoding != SampleEncoding.Int16 || target.Channels != source.Channels)
        {
            throw new ArgumentException("the converter changes the sample format and rate only, to 16-bit", nameof(target));
        }

        _source = source;
        Target = target;
        MaxInputFrames = maxInputFrames;
        _input = new float[maxInputFrames * source.Channels];
        _gather = new byte[maxInputFrames * source.BlockAlign];
        if (source.SampleRate != target.SampleRate)
        {
            _resampler = new Resampler(source.SampleRate, target.SampleRate, source.Channels, maxInputFrames);
            MaxOutputFrames = _resampler.MaxOutputFrames(maxInputFrames);
        }
        else
        {
            MaxOutputFrames = maxInputFrames;
        }

        _output = new float[MaxOutputFrames * source.Channels];
    }

    /// <summary>The encoder's format the converter writes.</summary>
    public AudioFormat Target { get; }

    /// <summary>The most source frames one <c>Convert</c> takes.</summary>
    public int MaxInputFrames { get; }

    /// <summary>Upper bound of frames one <c>Convert</c> or <see cref="Flush"/> writes.</summary>
    public int MaxOutputFrames { get; }

    /// <summary>How many target frames <paramref name="sourceFrames"/> source frames become in all (after resampling).</summary>
    public long OutputFramesFor(long sourceFrames) => _resampler?.OutputFramesFor(sourceFrames) ?? sourceFrames;

    /// <summary>Converts whole source frames (at most <see cref="MaxInputFrames"/>); returns target frames written.</summary>
    public int Convert(ReadOnlySequence<byte> source, Span<byte> destination)
    {
        if (source.IsSingleSegment)
        {
            return Convert(source.FirstSpan, destination);
        }

        // A sample may straddle two pipe segments: gather them first.
        int length = (int)source.Length;
        source.CopyTo(_gather);
        return Convert(_gather.AsSpan(0, length), destination);
    }

    /// <summary>Converts whole source frames (at most <see cref="MaxInputFrames"/>); returns target frames written.</summary>
    public int Convert(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        int samples = SampleConversion.ToFloat(source, _source.Encoding, _input);
        return Emit(_input.AsSpan(0, samples), destination);
    }

    /// <summary>At the end of the source: writes the resampler's tail; returns target frames written.</summary>
    public int Flush(Span<byte> destination)
    {
        if (_resampler is null)
        {
            return 0;
        }

        int frames = _resampler.Flush(_output);
        SampleConversion.ToInt16(_output.AsSpan(0, frames * Target.Channels), destination);
        return frames;
    }

    private int Emit(ReadOnlySpan<float> samples, Span<byte> destination)
    {
        if (_resampler is null)
        {
            SampleConversion.ToInt16(samples, destination);
            return samples.Length / Target.Channels;
        }

        int frames = _resampler.Push(samples, _output);
        SampleConversion.ToInt16(_output.AsSpan(0, frames * Target.Channels), destination);
        return frames;
    }
}
