using System.Globalization;
using Streamer.Protocol;
using Streamer.Protocol.Hosting;

namespace Streamer.Streaming.Send;

/// <summary>
/// What the audio server does with a client's (valid) hello: "play" gets the stream if it can decode the server's
/// codec, "probe" gets pongs; anything else is refused, after the server's hello, with an error naming the reason.
/// </summary>
internal static class ClientAdmission
{
    /// <summary>Longest peer text (its role, its codec list) quoted back to it, in characters: the error frame must
    /// stay far below every client's frame limit.</summary>
    private const int MaxQuoted = 200;

    /// <summary>Null when the client is served; otherwise the error frame's code and message.</summary>
    public static (string Code, string Message)? Refusal(HelloMessage hello, string serverCodec)
    {
        switch (hello.Role)
        {
            case "probe":
                return null;
            case "play":
                for (int i = 0; i < hello.Codecs.Count; i++)
                {
                    if (string.Equals(hello.Codecs[i], serverCodec, StringComparison.Ordinal))
                    {
                        return null;
                    }
                }

                return ("unsupported-codec", $"this server sends {serverCodec}, which is not among the codecs your client decodes ({Quote(hello.Codecs)})");
            case "":
                return ("wrong-role", "the hello has no role; this audio server serves the roles play and probe");
            default:
                return ("wrong-role", $"this is an audio server: it serves the roles play and probe, not '{Shorten(PeerText.Sanitize(hello.Role))}'");
        }
    }

    private static string Quote(IReadOnlyList<string> codecs)
    {
        if (codecs.Count == 0)
        {
            return "none";
        }

        string list = PeerText.Sanitize(string.Join(", ", codecs));
        return list.Length <= MaxQuoted
            ? list
            : string.Create(CultureInfo.InvariantCulture, $"{list[..MaxQuoted]}… ({codecs.Count} in all)");
    }

    private static string Shorten(string text) => text.Length <= MaxQuoted ? text : text[..MaxQuoted] + "…";
}
