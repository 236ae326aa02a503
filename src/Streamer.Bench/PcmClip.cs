using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Dsp;

namespace Streamer.Bench;

/// <summary>A whole WAV file's samples in memory, for measuring codecs on it.</summary>
public sealed class PcmClip
{
    private const int ConvertBlockFrames = 4096;

    /// <summary>A clip named <paramref name="name"/> of <paramref name="samples"/> in <paramref name="format"/>.</summary>
    public PcmClip(string name, AudioFormat format, byte[] samples)
    {
        Name = name;
        Format = format;
        Samples = samples;
    }

    /// <summary>The clip's name (its file name) for reports.</summary>
    public string Name { get; }

    /// <summary>The samples' format.</summary>
    public AudioFormat Format { get; }

    /// <summary>The interleaved samples.</summary>
    public byte[] Samples { get; }

    /// <summary>Sample frames in the clip.</summary>
    public long Frames => Samples.Length / Format.BlockAlign;

    /// <summary>The clip's duration in seconds.</summary>
    public double Seconds => (double)Frames / Format.SampleRate;

    /// <summary>Reads a WAV file; bad files throw <see cref="InvalidWavException"/>.</summary>
    public static async Task<PcmClip> LoadAsync(string path, CancellationToken cancellationToken)
    {
        await using var reader = await WavFile.OpenAsync(path, cancellationToken);
        using var buffer = new MemoryStream();
        while (true)
        {
            var block = await reader.ReadAsync(1 << 20, cancellationToken);
            if (block.IsEmpty)
            {
                break;
            }

            foreach (var segment in block)
            {
                buffer.Write(segment.Span);
            }

            reader.Consume();
        }

        return new PcmClip(path, reader.Format, buffer.ToArray());
    }

    /// <summary>The clip as 16-bit samples at <paramref name="target"/>'s rate, as the sender would convert it.</summary>
    public byte[] ConvertTo(AudioFormat target)
    {
        if (target == Format)
        {
            return Samples;
        }

        var converter = new PcmConverter(Format, target, ConvertBlockFrames);
        var output = new byte[(converter.OutputFramesFor(Frames) * target.BlockAlign) + (converter.MaxOutputFrames * target.BlockAlign)];
        int written = 0;
        int blockBytes = ConvertBlockFrames * Format.BlockAlign;
        for (int offset = 0; offset < Samples.Length; offset += blockBytes)
        {
            var block = Samples.AsSpan(offset, Math.Min(blockBytes, Samples.Length - offset));
            written += converter.Convert(block, output.AsSpan(written)) * target.BlockAlign;
        }

        written += converter.Flush(output.AsSpan(written)) * target.BlockAlign;
        return output.AsSpan(0, written).ToArray();
    }
}
