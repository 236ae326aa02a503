using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;

namespace Streamer.Streaming.Send;

/// <summary>Opens a fresh frame source for each client: every session streams from the start of the file.</summary>
internal sealed class FrameSourceFactory
{
    private readonly Func<CancellationToken, Task<WavReader>> _openWav;

    public FrameSourceFactory(Func<CancellationToken, Task<WavReader>> openWav, IAudioCodec codec, CodecOptions options)
    {
        _openWav = openWav;
        Codec = codec;
        Options = options;
    }

    public IAudioCodec Codec { get; }

    public CodecOptions Options { get; }

    /// <summary>Opens the source and builds its encoder; bad input throws <see cref="InvalidWavException"/> or <see cref="CodecException"/>.</summary>
    public async Task<IAudioFrameSource> OpenAsync(CancellationToken cancellationToken)
    {
        var reader = await _openWav(cancellationToken);
        try
        {
            var encoder = Codec.CreateEncoder(reader.Format, Options);
            if (Codec.PayloadKind == CodecPayloadKind.RawPcm)
            {
                int frameSamples = encoder.FrameSamples;
                encoder.Dispose();
                return new PcmFrameSource(reader, frameSamples);
            }

            try
            {
                // Converts and resamples the WAV to the encoder's input on the way.
                return new EncodedFrameSource(reader, encoder, Codec.Name);
            }
            catch
            {
                encoder.Dispose();
                throw;
            }
        }
        catch
        {
            await reader.DisposeAsync();
            throw;
        }
    }
}
