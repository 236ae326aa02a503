using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;

namespace Streamer.Streaming;

/// <summary>Maps codec names to codecs. Adding a codec: one class implementing <see cref="IAudioCodec"/> and one line here.</summary>
internal sealed class CodecRegistry
{
    private readonly Dictionary<string, IAudioCodec> _codecs = new(StringComparer.OrdinalIgnoreCase);

    public static CodecRegistry Default { get; } = CreateDefault();

    public IEnumerable<string> Names => _codecs.Keys;

    public void Register(IAudioCodec codec) => _codecs[codec.Name] = codec;

    public IAudioCodec Get(string name)
        => _codecs.TryGetValue(name, out var codec)
            ? codec
            : throw new CodecException($"unknown codec '{name}' (known: {string.Join(", ", _codecs.Keys)})");

    public bool TryGet(string name, out IAudioCodec codec) => _codecs.TryGetValue(name, out codec!);

    private static CodecRegistry CreateDefault()
    {
        var registry = new CodecRegistry();
        registry.Register(new PcmCodec());
        registry.Register(new OpusCodec(native: false));
        registry.Register(new OpusCodec(native: true));
        registry.Register(new G711Codec(alaw: false));
        registry.Register(new G711Codec(alaw: true));
        return registry;
    }
}
