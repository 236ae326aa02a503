using System.Globalization;
using Streamer.Media.Codecs;

namespace Streamer.Codecs.Opus;

/// <summary>An encoder state in libopus; freed on dispose or, if forgotten, by the finalizer.</summary>
internal sealed unsafe class LibOpusEncoder : IOpusFrameEncoder
{
    private readonly LibOpus _library;
    private nint _state;

    public LibOpusEncoder(LibOpus library, int channels, OpusSettings settings)
    {
        _library = library;
        int error;
        _state = library.EncoderCreate(OpusSettings.SampleRate, channels, (int)settings.Application, &error);
        if (error != LibOpus.Ok || _state == 0)
        {
            Free();
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"opus-native: {library.Name} could not create an encoder (error {error})"));
        }

        int status = library.Configure(_state, settings);
        if (status != LibOpus.Ok)
        {
            Free();
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"opus-native: {library.Name} refused the encoder settings (error {status})"));
        }

        Lookahead = library.Lookahead(_state);
    }

    ~LibOpusEncoder() => Free();

    public int Lookahead { get; }

    public int Encode(ReadOnlySpan<short> pcm, int frameSamples, Span<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_state == 0, this);
        int length;
        fixed (short* input = pcm)
        fixed (byte* output = packet)
        {
            length = _library.Encode(_state, input, frameSamples, output, packet.Length);
        }

        return length >= 0 ? length : throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"opus-native: libopus failed to encode a frame (error {length})"));
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        nint state = Interlocked.Exchange(ref _state, 0);
        if (state != 0)
        {
            _library.EncoderDestroy(state);
        }
    }
}

/// <summary>A decoder state in libopus; freed on dispose or, if forgotten, by the finalizer.</summary>
internal sealed unsafe class LibOpusDecoder : IOpusFrameDecoder
{
    private readonly LibOpus _library;
    private readonly int _channels;
    private nint _state;

    public LibOpusDecoder(LibOpus library, int channels)
    {
        _library = library;
        _channels = channels;
        int error;
        _state = library.DecoderCreate(OpusSettings.SampleRate, channels, &error);
        if (error != LibOpus.Ok || _state == 0)
        {
            Free();
            throw new CodecException(string.Create(CultureInfo.InvariantCulture, $"opus-native: {library.Name} could not create a decoder (error {error})"));
        }
    }

    ~LibOpusDecoder() => Free();

    public int Decode(ReadOnlySpan<byte> packet, Span<short> pcm, int frameSamples, bool fec)
    {
        ObjectDisposedException.ThrowIf(_state == 0, this);
        // libopus writes frameSamples * channels samples at most: never past the span it was given.
        frameSamples = Math.Min(frameSamples, pcm.Length / _channels);
        fixed (byte* input = packet)
        fixed (short* output = pcm)
        {
            // An empty span pins to null, which libopus takes as "lost: conceal".
            return _library.Decode(_state, packet.IsEmpty ? null : input, packet.Length, output, frameSamples, fec ? 1 : 0);
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        nint state = Interlocked.Exchange(ref _state, 0);
        if (state != 0)
        {
            _library.DecoderDestroy(state);
        }
    }
}
