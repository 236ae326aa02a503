using System.Text.RegularExpressions;
using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;
using Streamer.Streaming.Plugins;

namespace Streamer.Streaming;

/// <summary>
/// Maps codec names to codecs and remembers where each came from. Adding a built-in codec: one class implementing
/// <see cref="IAudioCodec"/> and one line in <see cref="CreateDefault"/>; a plug-in codec: none (<see cref="CodecPluginLoader"/>).
/// </summary>
public sealed partial class CodecRegistry
{
    /// <summary>What <see cref="CodecRegistration.Source"/> says for the codecs compiled into this build.</summary>
    public const string BuiltIn = "built-in";

    private readonly Dictionary<string, CodecRegistration> _codecs = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The built-in codecs (pcm, ulaw, alaw, opus, opus-native); plug-ins register into it.</summary>
    public static CodecRegistry Default { get; } = CreateDefault();

    /// <summary>The registered codec names.</summary>
    public IEnumerable<string> Names => _codecs.Keys;

    /// <summary>Every codec in registration order, with its source.</summary>
    public IEnumerable<CodecRegistration> Registrations => _codecs.Values;

    /// <summary>Registers a built-in codec (a later one of the same name replaces it).</summary>
    public void Register(IAudioCodec codec) => _codecs[codec.Name] = new CodecRegistration(codec, BuiltIn);

    /// <summary>
    /// Registers a plug-in's codec, guarded so that its failures become one-line <see cref="CodecException"/>s. Throws
    /// <see cref="CodecException"/> when its name is not usable or already taken.
    /// </summary>
    public void RegisterPlugin(IAudioCodec codec, string pluginPath)
    {
        string name = codec.Name;
        if (name is null || !NamePattern().IsMatch(name))
        {
            throw new CodecException($"codec {codec.GetType().FullName} has an unusable name '{name}' (letters, digits, '.', '_' and '-', at most 32)");
        }

        if (_codecs.TryGetValue(name, out var existing))
        {
            throw new CodecException($"codec '{name}' clashes with the {existing.Source} codec of that name");
        }

        _codecs[name] = new CodecRegistration(new PluginCodec(codec, pluginPath), pluginPath);
    }

    /// <summary>The codec registered as <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="CodecException">No codec has that name; the message lists the known ones.</exception>
    public IAudioCodec Get(string name)
        => _codecs.TryGetValue(name, out var registration)
            ? registration.Codec
            : throw new CodecException($"unknown codec '{name}' (known: {string.Join(", ", _codecs.Keys)})");

    /// <summary>Finds the codec registered as <paramref name="name"/> (case-insensitive); false when there is none.</summary>
    public bool TryGet(string name, out IAudioCodec codec)
    {
        bool found = _codecs.TryGetValue(name, out var registration);
        codec = registration?.Codec!;
        return found;
    }

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

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
