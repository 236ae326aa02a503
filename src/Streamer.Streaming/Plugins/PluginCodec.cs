using Streamer.Media;
using Streamer.Media.Codecs;

namespace Streamer.Streaming.Plugins;

/// <summary>
/// A plug-in's codec behind a guard: whatever it throws (other than <see cref="CodecException"/>, already one line)
/// becomes a <see cref="CodecException"/> naming the codec and the plug-in, so a faulty plug-in ends its stream with
/// one clear message instead of an unhandled exception. The guards add a try block per call, no allocation.
/// </summary>
internal sealed class PluginCodec : IAudioCodec
{
    private readonly IAudioCodec _inner;
    private readonly string _path;

    public PluginCodec(IAudioCodec inner, string path)
    {
        _inner = inner;
        _path = path;
        Name = inner.Name;
        Description = Guard(() => inner.Description) ?? "";
        PayloadKind = Guard(() => inner.PayloadKind);
    }

    public string Name { get; }

    public string Description { get; }

    public CodecPayloadKind PayloadKind { get; }

    public IAudioEncoder CreateEncoder(AudioFormat source, CodecOptions options)
        => new GuardedEncoder(Guard(() => _inner.CreateEncoder(source, options)), this);

    public IAudioDecoder CreateDecoder(CodecStreamInfo stream)
        => new GuardedDecoder(Guard(() => _inner.CreateDecoder(stream)), this);

    /// <summary>The one-line failure for an exception the plug-in let out.</summary>
    public CodecException Failure(Exception ex)
        => ex as CodecException ?? new CodecException($"codec {Name} (plugin {_path}) failed: {ex.GetType().Name}: {ex.Message}", ex);

    private T Guard<T>(Func<T> call)
    {
        try
        {
            return call();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw Failure(ex);
        }
    }

    private sealed class GuardedEncoder : IAudioEncoder
    {
        private readonly IAudioEncoder _inner;
        private readonly PluginCodec _codec;

        public GuardedEncoder(IAudioEncoder inner, PluginCodec codec)
        {
            _inner = inner;
            _codec = codec;
            InputFormat = inner.InputFormat;
            FrameSamples = inner.FrameSamples;
            DelaySamples = inner.DelaySamples;
            MaxPacketBytes = inner.MaxPacketBytes;
            Parameters = inner.Parameters ?? new Dictionary<string, string>();
            if (FrameSamples <= 0 || MaxPacketBytes <= 0 || InputFormat.Channels <= 0 || InputFormat.SampleRate <= 0)
            {
                throw new CodecException($"codec {codec.Name}: its encoder announced a frame of {FrameSamples} samples, {MaxPacketBytes}-byte packets and {InputFormat}");
            }
        }

        public AudioFormat InputFormat { get; }

        public int FrameSamples { get; }

        public int DelaySamples { get; }

        public int MaxPacketBytes { get; }

        public IReadOnlyDictionary<string, string> Parameters { get; }

        public int Encode(ReadOnlySpan<byte> pcm, Span<byte> packet)
        {
            int length;
            try
            {
                length = _inner.Encode(pcm, packet);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw _codec.Failure(ex);
            }

            return length >= 0 && length <= packet.Length
                ? length
                : throw new CodecException($"codec {_codec.Name}: its encoder returned a packet of {length} bytes for a {packet.Length}-byte buffer");
        }

        public void Dispose()
        {
            try
            {
                _inner.Dispose();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw _codec.Failure(ex);
            }
        }
    }

    private sealed class GuardedDecoder : IAudioDecoder
    {
        private readonly IAudioDecoder _inner;
        private readonly PluginCodec _codec;

        public GuardedDecoder(IAudioDecoder inner, PluginCodec codec)
        {
            _inner = inner;
            _codec = codec;
            OutputFormat = inner.OutputFormat;
            DelaySamples = inner.DelaySamples;
        }

        public AudioFormat OutputFormat { get; }

        public int DelaySamples { get; }

        public int Decode(ReadOnlySpan<byte> packet, Span<byte> pcm)
        {
            int length;
            try
            {
                length = _inner.Decode(packet, pcm);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw _codec.Failure(ex);
            }

            return length == IAudioDecoder.Corrupt || (length >= 0 && length <= pcm.Length)
                ? length
                : throw new CodecException($"codec {_codec.Name}: its decoder returned {length} bytes for a {pcm.Length}-byte buffer");
        }

        public int Conceal(int samples, ReadOnlySpan<byte> nextPacket, Span<byte> pcm)
        {
            int length;
            try
            {
                length = _inner.Conceal(samples, nextPacket, pcm);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw _codec.Failure(ex);
            }

            return length >= 0 && length <= pcm.Length
                ? length
                : throw new CodecException($"codec {_codec.Name}: its decoder concealed {length} bytes for a {pcm.Length}-byte buffer");
        }

        public void Dispose()
        {
            try
            {
                _inner.Dispose();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                throw _codec.Failure(ex);
            }
        }
    }
}
