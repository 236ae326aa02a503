using System.Diagnostics;
using System.Globalization;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Protocol;

namespace Streamer.Bench;

/// <summary>
/// Encodes and decodes a clip with one codec exactly as a stream would (same conversion, same end padding, same
/// delay removal and trimming as the receiver), timing each side on one thread and comparing the result.
/// </summary>
public static class CodecBench
{
    private const double WarmUpSeconds = 2;

    /// <summary>Encodes and decodes <paramref name="clip"/> with <paramref name="codec"/> at <paramref name="options"/> and measures speed, quality, size and allocation.</summary>
    public static CodecBenchRow Run(PcmClip clip, IAudioCodec codec, CodecOptions options)
    {
        using var encoder = codec.CreateEncoder(clip.Format, options);
        var format = encoder.InputFormat;
        byte[] reference = clip.ConvertTo(format);
        long totalFrames = reference.Length / format.BlockAlign;
        int frameBytes = encoder.FrameSamples * format.BlockAlign;
        long paddedFrames = totalFrames + encoder.DelaySamples;
        int packets = (int)((paddedFrames + encoder.FrameSamples - 1) / encoder.FrameSamples);
        var input = new byte[(long)packets * frameBytes];
        reference.CopyTo(input, 0);
        var encoded = new byte[(long)packets * encoder.MaxPacketBytes];
        var lengths = new int[packets];

        WarmUp(codec, clip.Format, options, input, frameBytes);
        var measure = Measurement.Start();
        long encodedBytes = 0;
        for (int i = 0; i < packets; i++)
        {
            int length = encoder.Encode(input.AsSpan(i * frameBytes, frameBytes), encoded.AsSpan((int)encodedBytes, encoder.MaxPacketBytes));
            lengths[i] = length;
            encodedBytes += length;
        }

        var encodeCost = measure.Stop();

        using var decoder = codec.CreateDecoder(new CodecStreamInfo(format, encoder.FrameSamples, encoder.Parameters));
        var outFormat = decoder.OutputFormat;
        var decoded = new byte[(((long)packets * encoder.FrameSamples) + (outFormat.SampleRate * 120 / 1000)) * outFormat.BlockAlign];
        measure = Measurement.Start();
        long decodedBytes = 0;
        long offset = 0;
        for (int i = 0; i < packets; i++)
        {
            decodedBytes += Math.Max(0, decoder.Decode(encoded.AsSpan((int)offset, lengths[i]), decoded.AsSpan((int)decodedBytes)));
            offset += lengths[i];
        }

        var decodeCost = measure.Stop();

        int skip = decoder.DelaySamples * outFormat.BlockAlign;
        var aligned = decoded.AsSpan(Math.Min(skip, (int)decodedBytes), (int)Math.Max(0, Math.Min(decodedBytes - skip, (long)totalFrames * outFormat.BlockAlign)));
        int lag = 0;
        double snr;
        if (format.Encoding == SampleEncoding.Int16)
        {
            lag = SignalComparison.BestLag(reference, aligned, format.Channels, maxLag: 480, windowFrames: format.SampleRate);
            snr = SignalComparison.SnrDb(reference, aligned, 0, format.Channels);
        }
        else
        {
            snr = aligned.SequenceEqual(reference) ? double.PositiveInfinity : double.NaN;
        }
        double seconds = (double)totalFrames / format.SampleRate;
        int maxPacket = 0;
        foreach (int length in lengths)
        {
            maxPacket = Math.Max(maxPacket, length);
        }

        double minutes = seconds / 60;
        string? note = aligned.Length < reference.Length ? "decoded output is shorter than the source" : null;
        return new CodecBenchRow(
            codec.Name,
            DescribeSettings(encoder),
            encodedBytes * 8 / seconds / 1000,
            seconds / encodeCost.Elapsed.TotalSeconds,
            seconds / decodeCost.Elapsed.TotalSeconds,
            snr,
            lag,
            (encoder.FrameSamples + encoder.DelaySamples) * 1000.0 / format.SampleRate,
            (double)encodedBytes / packets,
            maxPacket,
            (double)(encodeCost.AllocatedBytes + decodeCost.AllocatedBytes) / packets,
            (encodeCost.Gen0 + decodeCost.Gen0) / minutes,
            (encodeCost.Pause + decodeCost.Pause).TotalMilliseconds / minutes,
            note);
    }

    /// <summary>Measures on a warm JIT: the first seconds of a fresh encoder/decoder run cold.</summary>
    private static void WarmUp(IAudioCodec codec, AudioFormat source, CodecOptions options, byte[] input, int frameBytes)
    {
        using var encoder = codec.CreateEncoder(source, options);
        var format = encoder.InputFormat;
        using var decoder = codec.CreateDecoder(new CodecStreamInfo(format with { ChannelMask = 0 }, encoder.FrameSamples, encoder.Parameters));
        var packet = new byte[encoder.MaxPacketBytes];
        var pcm = new byte[format.SampleRate * format.BlockAlign];
        int frames = (int)Math.Min(input.Length / frameBytes, WarmUpSeconds * format.SampleRate / encoder.FrameSamples);
        for (int i = 0; i < frames; i++)
        {
            int length = encoder.Encode(input.AsSpan(i * frameBytes, frameBytes), packet);
            decoder.Decode(packet.AsSpan(0, length), pcm);
        }
    }

    private static string DescribeSettings(IAudioEncoder encoder)
    {
        var p = encoder.Parameters;
        var format = encoder.InputFormat;
        string frame = string.Create(CultureInfo.InvariantCulture, $"{encoder.FrameSamples * 1000.0 / format.SampleRate:0.##} ms, {format.SampleRate / 1000.0:0.#} kHz {format.Channels} ch");
        if (!p.TryGetValue("bitrate", out string? bitrate))
        {
            return frame;
        }

        string mode = p.GetValueOrDefault("vbr") == "true" ? "vbr" : "cbr";
        return string.Create(CultureInfo.InvariantCulture, $"{int.Parse(bitrate, CultureInfo.InvariantCulture) / 1000} kbit/s {mode}, {frame}, c{p.GetValueOrDefault("complexity")}, {p.GetValueOrDefault("application")}");
    }

    private readonly record struct Cost(TimeSpan Elapsed, long AllocatedBytes, int Gen0, TimeSpan Pause);

    private readonly struct Measurement
    {
        private readonly long _start;
        private readonly long _allocated;
        private readonly int _gen0;
        private readonly TimeSpan _pause;

        private Measurement(long start, long allocated, int gen0, TimeSpan pause)
        {
            _start = start;
            _allocated = allocated;
            _gen0 = gen0;
            _pause = pause;
        }

        public static Measurement Start()
            => new(Stopwatch.GetTimestamp(), GC.GetAllocatedBytesForCurrentThread(), GC.CollectionCount(0), GC.GetTotalPauseDuration());

        public Cost Stop()
            => new(
                Stopwatch.GetElapsedTime(_start),
                GC.GetAllocatedBytesForCurrentThread() - _allocated,
                GC.CollectionCount(0) - _gen0,
                GC.GetTotalPauseDuration() - _pause);
    }
}
