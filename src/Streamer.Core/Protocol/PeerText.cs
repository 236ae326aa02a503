using Streamer.Core.Chat;

namespace Streamer.Core.Protocol;

/// <summary>
/// The one way a string from a peer (a hello's role or agent, an error message, a codec or format name) reaches
/// a terminal or a log: through <see cref="ChatText.Sanitize"/>, which turns escape sequences (CSI, OSC, …),
/// every C0/C1 control including CR, LF, BEL and NUL, DEL and bidi overrides into a visible U+FFFD, so a peer
/// can neither drive the terminal nor forge a line. Long strings are cut: a log line is not a place for 64 KiB
/// of someone else's text.
/// </summary>
internal static class PeerText
{
    /// <summary>The most characters of one peer string shown; the rest becomes "…".</summary>
    public const int MaxLength = 200;

    public static string ForDisplay(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length > MaxLength)
        {
            // Never cut between the halves of a surrogate pair.
            int cut = char.IsHighSurrogate(text[MaxLength - 1]) ? MaxLength - 1 : MaxLength;
            text = string.Concat(text.AsSpan(0, cut), "…");
        }

        return ChatText.Sanitize(text);
    }
}
