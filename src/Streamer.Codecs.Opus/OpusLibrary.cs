using Concentus;
using Concentus.Enums;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Makes Opus encoders and decoders: Concentus' managed code for <c>opus</c>, the system libopus (<see cref="LibOpus"/>)
/// for <c>opus-native</c>. Concentus' factory would silently switch to libopus when <c>libopus.so</c> exists, so its
/// native flag is turned off once, here, and never turned on: the managed codec stays managed.
/// </summary>
internal static class OpusLibrary
{
    static OpusLibrary()
    {
        OpusCodecFactory.AttemptToUseNativeLibrary = false;
    }

    /// <summary>Null when libopus loads; else one line saying what is missing and how to get it.</summary>
    public static string? MissingNative() => LibOpus.LoadError;

    public static IOpusFrameEncoder CreateEncoder(bool native, int channels, OpusSettings settings)
    {
        if (native)
        {
            return new LibOpusEncoder(Native(), channels, settings);
        }

        var encoder = CheckManaged(OpusCodecFactory.CreateEncoder(OpusSettings.SampleRate, channels, settings.Application));
        return new ConcentusEncoder(encoder, settings);
    }

    public static IOpusFrameDecoder CreateDecoder(bool native, int channels)
        => native ? new LibOpusDecoder(Native(), channels) : new ConcentusDecoder(CheckManaged(OpusCodecFactory.CreateDecoder(OpusSettings.SampleRate, channels)));

    /// <summary>True when Concentus handed out its libopus-backed implementation.</summary>
    public static bool IsNative(object codec) => codec.GetType().Namespace == "Concentus.Native";

    private static LibOpus Native() => LibOpus.Instance ?? throw new CodecException(LibOpus.LoadError ?? "opus-native: libopus did not load");

    private static T CheckManaged<T>(T codec)
        where T : class
    {
        if (IsNative(codec))
        {
            (codec as IDisposable)?.Dispose();
            throw new CodecException("opus: Concentus bound to libopus although the managed codec was asked for");
        }

        return codec;
    }

    private sealed class ConcentusEncoder : IOpusFrameEncoder
    {
        private readonly IOpusEncoder _encoder;

        public ConcentusEncoder(IOpusEncoder encoder, OpusSettings settings)
        {
            _encoder = encoder;
            _encoder.Bitrate = settings.Bitrate;
            _encoder.Complexity = settings.Complexity;
            _encoder.UseVBR = settings.Vbr;
            _encoder.UseConstrainedVBR = false;
            _encoder.UseInbandFEC = settings.Fec;
            _encoder.PacketLossPercent = settings.ExpectedLossPercent;
            _encoder.UseDTX = settings.Dtx;
        }

        public int Lookahead => _encoder.Lookahead;

        public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet) => _encoder.Encode(pcm, frameSamples, packet, packet.Length);

        public void Dispose() => (_encoder as IDisposable)?.Dispose();
    }

    private sealed class ConcentusDecoder : IOpusFrameDecoder
    {
        private readonly IOpusDecoder _decoder;

        public ConcentusDecoder(IOpusDecoder decoder)
        {
            _decoder = decoder;
        }

        public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSamples, bool fec)
        {
            try
            {
                return _decoder.Decode(packet, pcm, frameSamples, fec);
            }
            catch (OpusException)
            {
                // Concentus throws where libopus returns an error code: speak libopus' contract.
                return LibOpus.InvalidPacket;
            }
        }

        public void Dispose() => (_decoder as IDisposable)?.Dispose();
    }
}
