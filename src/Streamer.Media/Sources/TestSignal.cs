using System.Buffers.Binary;
using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Sources;

/// <summary>The built-in demo signal: two tones (440 Hz left-heavy, 1 kHz right-heavy) with a short fade in and out.</summary>
public static class TestSignal
{
    /// <summary>The first tone, in Hz (louder on the left).</summary>
    public const double FirstToneHz = 440;
    /// <summary>The second tone, in Hz (louder on the right).</summary>
    public const double SecondToneHz = 1000;

    /// <summary>A complete 16-bit stereo WAV file of the signal.</summary>
    public static byte[] CreateWav(double seconds = 3, int sampleRate = 48000)
    {
        var format = new AudioFormat(sampleRate, 2, SampleEncoding.Int16);
        int frames = (int)(seconds * sampleRate);
        Span<byte> header = stackalloc byte[68];
        int headerLength = WavWriter.WriteHeader(header, format, (long)frames * format.BlockAlign);
        var file = new byte[headerLength + (frames * format.BlockAlign)];
        header[..headerLength].CopyTo(file);
        var samples = file.AsSpan(headerLength);
        int fade = Math.Min(frames / 2, sampleRate / 50);
        for (int i = 0; i < frames; i++)
        {
            double t = (double)i / sampleRate;
            double envelope = Math.Min(1.0, Math.Min(i, frames - 1 - i) / (double)Math.Max(1, fade));
            double a = Math.Sin(2 * Math.PI * FirstToneHz * t);
            double b = Math.Sin(2 * Math.PI * SecondToneHz * t);
            short left = (short)Math.Round(envelope * 16000 * ((0.7 * a) + (0.3 * b)));
            short right = (short)Math.Round(envelope * 16000 * ((0.3 * a) + (0.7 * b)));
            BinaryPrimitives.WriteInt16LittleEndian(samples[(i * 4)..], left);
            BinaryPrimitives.WriteInt16LittleEndian(samples[((i * 4) + 2)..], right);
        }

        return file;
    }
}
