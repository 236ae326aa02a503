using System.Globalization;

namespace Streamer.Media.Codecs;

/// <summary>
/// What the user asked of an encoder, typed. <see cref="Validate"/> is the one place the ranges are checked (the
/// command line calls it before any codec sees the options); each codec then checks only what is its own (Opus's frame
/// durations, G.711's fixed bitrate) and ignores what does not apply to it. Null means "the codec's default".
/// </summary>
public sealed record CodecOptions
{
    /// <summary>The longest frame any codec is asked for.</summary>
    public const double MaxFrameMilliseconds = 1000;

    /// <summary>Frame duration in milliseconds: audio per packet (20 by default).</summary>
    public double FrameMilliseconds { get; init; } = 20;

    /// <summary>Target bitrate in bit/s, or null for the codec's default.</summary>
    public int? Bitrate { get; init; }

    /// <summary>Encoder effort from 0 (fastest) to 10 (best), or null for the codec's default.</summary>
    public int? Complexity { get; init; }

    /// <summary>What the audio is (music, speech, low delay), or null for the codec's default.</summary>
    public CodecApplication? Application { get; init; }

    /// <summary>Variable (true) or constant (false) bitrate, or null for the codec's default.</summary>
    public bool? Vbr { get; init; }

    /// <summary>In-band forward error correction: a lost packet can be rebuilt from the next one.</summary>
    public bool Fec { get; init; }

    /// <summary>Packet loss in percent (0 to 100) the encoder plans for, or null for the codec's default.</summary>
    public int? ExpectedLossPercent { get; init; }

    /// <summary>Discontinuous transmission: tiny packets during silence.</summary>
    public bool Dtx { get; init; }

    /// <summary>
    /// Throws <see cref="CodecException"/> naming the first out-of-range value, in the command line's spelling
    /// (e.g. "complexity must be from 0 to 10, not 11"); returns this for chaining.
    /// </summary>
    public CodecOptions Validate()
    {
        if (double.IsNaN(FrameMilliseconds) || FrameMilliseconds <= 0 || FrameMilliseconds > MaxFrameMilliseconds)
        {
            throw Invalid($"frame-ms must be positive and at most {MaxFrameMilliseconds} ms, not {FrameMilliseconds}");
        }

        if (Bitrate is <= 0)
        {
            throw Invalid($"bitrate must be positive, not {Bitrate} bit/s");
        }

        if (Complexity is < 0 or > 10)
        {
            throw Invalid($"complexity must be from 0 to 10, not {Complexity}");
        }

        if (Application is { } application && !Enum.IsDefined(application))
        {
            throw Invalid($"application must be audio, voip or lowdelay, not {(int)application}");
        }

        if (ExpectedLossPercent is < 0 or > 100)
        {
            throw Invalid($"expected-loss must be from 0 to 100 percent, not {ExpectedLossPercent}");
        }

        return this;
    }

    /// <summary>The command line's name of an application ("audio", "voip", "lowdelay").</summary>
    public static string ApplicationName(CodecApplication application) => application switch
    {
        CodecApplication.Voip => "voip",
        CodecApplication.LowDelay => "lowdelay",
        _ => "audio",
    };

    /// <summary>Parses an application name as the command line spells it; false for anything else.</summary>
    public static bool TryParseApplication(string? name, out CodecApplication application)
    {
        (bool known, application) = name switch
        {
            "audio" => (true, CodecApplication.Audio),
            "voip" => (true, CodecApplication.Voip),
            "lowdelay" => (true, CodecApplication.LowDelay),
            _ => (false, CodecApplication.Audio),
        };
        return known;
    }

    private static CodecException Invalid(FormattableString text) => new(text.ToString(CultureInfo.InvariantCulture));
}
