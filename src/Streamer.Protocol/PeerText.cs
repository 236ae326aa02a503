using System.Text;

namespace Streamer.Protocol;

/// <summary>
/// The one neutralizer for text from a peer (chat lines, a hello's role or agent, an error message, a codec or format
/// name) before it reaches a terminal or a log. Makes text from a peer safe to print on a terminal. Every escape sequence (CSI, OSC, DCS, …, in 7-bit ESC
/// form or 8-bit C1 form), every other C0/C1 control (newlines included, so a peer cannot forge a line from
/// someone else), DEL, line/paragraph separators and bidi overrides become one visible U+FFFD; a tab becomes
/// a space. What remains cannot move the cursor, set the window title, clear the screen or reorder text.
/// </summary>
public static class PeerText
{
    /// <summary>The most characters of one peer string shown; the rest becomes "…".</summary>
    public const int MaxLength = 200;

    /// <summary>A peer string fit to show: at most <see cref="MaxLength"/> characters (then "…"), made safe by <see cref="Sanitize"/>; empty for null.</summary>
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

        return Sanitize(text);
    }

    /// <summary>What replaces a control or formatting character.</summary>
    public const char Replacement = '\uFFFD';

    private const char Esc = '\u001B';
    private const char Bel = '\u0007';
    private const char C1Dcs = '\u0090';
    private const char C1Sos = '\u0098';
    private const char C1Csi = '\u009B';
    private const char C1St = '\u009C';
    private const char C1Osc = '\u009D';
    private const char C1Pm = '\u009E';
    private const char C1Apc = '\u009F';

    /// <paramref name="text"/> with every escape sequence, other control character, line/paragraph separator and bidi override replaced by one <see cref="Replacement"/> and tabs by spaces (no length limit); the same instance when it is already safe.
    public static string Sanitize(string text)
    {
        if (IsSafe(text))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            if (c == '\t')
            {
                result.Append(' ');
                i++;
            }
            else if (c == Esc)
            {
                i = SkipEscape(text, i + 1);
                result.Append(Replacement);
            }
            else if (c == C1Csi)
            {
                i = SkipControlSequence(text, i + 1);
                result.Append(Replacement);
            }
            else if (c is C1Dcs or C1Sos or C1Osc or C1Pm or C1Apc)
            {
                i = SkipString(text, i + 1);
                result.Append(Replacement);
            }
            else if (IsUnsafe(c))
            {
                result.Append(Replacement);
                i++;
            }
            else
            {
                result.Append(c);
                i++;
            }
        }

        return result.ToString();
    }

    /// <summary>Characters that must not reach a terminal raw.</summary>
    public static bool IsUnsafe(char c)
        => c < ' ' || c is >= '\u007F' and <= '\u009F' || IsBidiControl(c) || c is '\u2028' or '\u2029';

    private static bool IsBidiControl(char c)
        => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    private static bool IsSafe(string text)
    {
        foreach (char c in text)
        {
            if (IsUnsafe(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Skips what follows an ESC; returns the index after the sequence.</summary>
    private static int SkipEscape(string text, int i)
    {
        if (i >= text.Length)
        {
            return i;
        }

        char c = text[i];
        switch (c)
        {
            case '[':
                return SkipControlSequence(text, i + 1);
            case ']' or 'P' or 'X' or '^' or '_':
                return SkipString(text, i + 1);
        }

        // ESC, intermediates (0x20-0x2F), one final byte (0x30-0x7E): e.g. ESC c (reset), ESC ( B, ESC 7.
        while (i < text.Length && text[i] is >= ' ' and <= '/')
        {
            i++;
        }

        return i < text.Length && text[i] is >= '0' and <= '~' ? i + 1 : i;
    }

    /// <summary>CSI parameters and intermediates (0x20-0x3F) up to one final byte (0x40-0x7E).</summary>
    private static int SkipControlSequence(string text, int i)
    {
        while (i < text.Length && text[i] is >= ' ' and <= '?')
        {
            i++;
        }

        return i < text.Length && text[i] is >= '@' and <= '~' ? i + 1 : i;
    }

    /// <summary>An OSC/DCS/SOS/PM/APC string runs to BEL, ESC \ or ST; an unterminated one runs to the end.</summary>
    private static int SkipString(string text, int i)
    {
        while (i < text.Length)
        {
            char c = text[i];
            if (c is Bel or C1St)
            {
                return i + 1;
            }

            if (c == Esc)
            {
                return i + 1 < text.Length && text[i + 1] == '\\' ? i + 2 : i + 1;
            }

            i++;
        }

        return i;
    }
}
