using System.Globalization;

namespace Streamer.Media.Codecs;

/// <summary>
/// What a decoder is built from: what the sender announced about its stream (the decoded format, the frame size and
/// the encoder's <see cref="IAudioEncoder.Parameters"/>). Independent of the wire protocol, so a codec needs only this
/// assembly.
/// </summary>
public sealed class CodecStreamInfo
{
    /// <summary>The parameter key of the decoder's delay in samples per channel (Opus's pre-skip).</summary>
    public const string PreSkipKey = "pre-skip";

    private static readonly IReadOnlyDictionary<string, string> NoParameters = new Dictionary<string, string>();

    /// <summary>Describes a stream of <paramref name="format"/> PCM in frames of <paramref name="frameSamples"/>.</summary>
    public CodecStreamInfo(AudioFormat format, int frameSamples, IReadOnlyDictionary<string, string>? parameters = null)
    {
        Format = format;
        FrameSamples = frameSamples;
        Parameters = parameters ?? NoParameters;
    }

    /// <summary>The PCM layout the sender announced (for encoded streams: the encoder's input format).</summary>
    public AudioFormat Format { get; }

    /// <summary>Samples per channel in one packet.</summary>
    public int FrameSamples { get; }

    /// <summary>The encoder's parameters as announced; a peer's words, so read them with the checked helpers below.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary>
    /// The announced pre-skip (<see cref="PreSkipKey"/>), 0 when absent. Throws <see cref="CodecException"/> when it
    /// is not a whole number from 0 to <paramref name="max"/>.
    /// </summary>
    public int GetPreSkip(int max) => GetInt32(PreSkipKey, 0, 0, max);

    /// <summary>
    /// An integer parameter, <paramref name="fallback"/> when absent; throws <see cref="CodecException"/> when it is not a
    /// whole number from <paramref name="min"/> to <paramref name="max"/>.
    /// </summary>
    public int GetInt32(string key, int fallback, int min, int max)
    {
        if (!Parameters.TryGetValue(key, out string? text))
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new CodecException($"stream announced a bad {key} '{text}'");
        }

        return value;
    }

    /// <summary>True when the flag parameter <paramref name="key"/> was announced as "true".</summary>
    public bool GetFlag(string key) => Parameters.TryGetValue(key, out string? text) && text == "true";

    /// <summary>The pre-skip of announced <paramref name="parameters"/>, 0 when absent or not a non-negative number.</summary>
    public static long PreSkipOf(IReadOnlyDictionary<string, string> parameters)
        => parameters.TryGetValue(PreSkipKey, out string? text)
            && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? Math.Max(0, value) : 0;
}
