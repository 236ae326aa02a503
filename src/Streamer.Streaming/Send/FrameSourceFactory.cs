using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;

namespace Streamer.Streaming.Send;

/// <summary>
/// Opens a fresh source and its packetizer for each client: every session streams from the start. What the source is
/// (a WAV file, a generated signal, later a live input) is the opener's business; this only picks the packetizer.
/// </summary>
public sealed class FrameSourceFactory
{
    private readonly Func<CancellationToken, Task<IAudioSource>> _openSource;

    /// <summary>Serves what <paramref name="openSource"/> opens (called once per client) with <paramref name="codec"/> at <paramref name="options"/>.</summary>
    public FrameSourceFactory(Func<CancellationToken, Task<IAudioSource>> openSource, IAudioCodec codec, CodecOptions options)
    {
        _openSource = openSource;
        Codec = codec;
        Options = options;
    }

    /// <summary>The codec every session encodes with.</summary>
    public IAudioCodec Codec { get; }

    /// <summary>The codec's options.</summary>
    public CodecOptions Options { get; }

    /// <summary>
    /// Whether the codec's payload is the source's PCM itself: then frames are the source's blocks, and a session is
    /// cheap enough to run on the pacing clock's thread. The one place the sender asks this.
    /// </summary>
    public bool SendsRawPcm => Codec.PayloadKind == CodecPayloadKind.RawPcm;

    /// <summary>Opens the source and builds its packetizer; bad input throws <see cref="InvalidWavException"/> or <see cref="CodecException"/>.</summary>
    internal async Task<IPacketizer> OpenAsync(CancellationToken cancellationToken)
    {
        var source = await _openSource(cancellationToken);
        try
        {
            var encoder = Codec.CreateEncoder(source.Format, Options);
            if (SendsRawPcm)
            {
                int frameSamples = encoder.FrameSamples;
                encoder.Dispose();
                return new PcmPacketizer(source, frameSamples);
            }

            try
            {
                // Converts and resamples the source to the encoder's input on the way.
                return new EncodingPacketizer(source, encoder, Codec.Name);
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }
}
