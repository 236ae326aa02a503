using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using Streamer.Protocol;

namespace Streamer.Chat;

/// <summary>
/// Chat names that cannot pose as someone else. <see cref="Clean"/> makes the name that is shown: invisible and
/// control characters are dropped, white space is collapsed, a colon becomes '_' (so a name cannot pose as
/// "name: text") and a leading '*' is dropped (a line starting "* " is the room's own notice). <see cref="Skeleton"/>
/// is what two names are compared by: width and style folded (the name-relevant part of NFKC), lower case, then a
/// small table of Cyrillic and Greek letters that look like Latin ones (after Unicode TR39's confusables, the
/// common cases only). docs/chat-and-probe.md lists exactly
/// what each step does.
/// </summary>
public static class ChatNames
{
    /// <summary>Names the room and its clients use for their own lines, compared by skeleton.</summary>
    public static readonly IReadOnlyList<string> Reserved = ["server", "chat-server", "system", "admin", "you"];

    // Applied after lower-casing, so each entry is the lower-case form of a Cyrillic or Greek letter that looks like
    // a Latin letter in either case (В looks like B, so в maps to b; where the cases look like different Latin
    // letters, as Greek Ν/ν like N/v, the capital wins). i, dotless i, 1 and | all look like l; 0 looks like o.
    // Mapping two letters together only ever gives a name a suffix it did not strictly need.
    private static readonly FrozenDictionary<char, char> Confusables = new Dictionary<char, char>
    {
        // Cyrillic: а в е к м н о р с т у х ѕ і ј ԁ һ ԛ ԝ ӏ
        ['\u0430'] = 'a', ['\u0432'] = 'b', ['\u0435'] = 'e', ['\u043A'] = 'k', ['\u043C'] = 'm', ['\u043D'] = 'h',
        ['\u043E'] = 'o', ['\u0440'] = 'p', ['\u0441'] = 'c', ['\u0442'] = 't', ['\u0443'] = 'y', ['\u0445'] = 'x',
        ['\u0455'] = 's', ['\u0456'] = 'l', ['\u0458'] = 'j', ['\u0501'] = 'd', ['\u04BB'] = 'h', ['\u051B'] = 'q',
        ['\u051D'] = 'w', ['\u04CF'] = 'l',

        // Greek: α β ε ζ η ι κ μ ν ο ρ τ υ χ
        ['\u03B1'] = 'a', ['\u03B2'] = 'b', ['\u03B5'] = 'e', ['\u03B6'] = 'z', ['\u03B7'] = 'h', ['\u03B9'] = 'l',
        ['\u03BA'] = 'k', ['\u03BC'] = 'm', ['\u03BD'] = 'n', ['\u03BF'] = 'o', ['\u03C1'] = 'p', ['\u03C4'] = 't',
        ['\u03C5'] = 'y', ['\u03C7'] = 'x',

        // Latin and digits
        ['i'] = 'l', ['\u0131'] = 'l', ['1'] = 'l', ['|'] = 'l', ['0'] = 'o',
    }.ToFrozenDictionary();

    // After Confusables: static fields are initialized in the order written.
    private static readonly FrozenSet<string> ReservedSkeletons = Reserved.Select(Skeleton).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// The name as it will be shown, or "" when nothing visible is left: drops what <see cref="IsInvisible"/> says,
    /// collapses white space to one space and trims it, turns ':' into '_', drops leading '*', and cuts at
    /// <see cref="ChatServerOptions.MaxNameLength"/> UTF-16 units (never inside a surrogate pair).
    /// </summary>
    public static string Clean(string? requested)
    {
        if (string.IsNullOrEmpty(requested))
        {
            return string.Empty;
        }

        var name = new StringBuilder(Math.Min(requested.Length, ChatServerOptions.MaxNameLength));
        bool space = false;
        foreach (Rune rune in requested.EnumerateRunes())
        {
            if (IsInvisible(rune))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                space = name.Length > 0;
                continue;
            }

            if (name.Length == 0 && rune.Value == '*')
            {
                continue;
            }

            int needed = rune.Utf16SequenceLength + (space ? 1 : 0);
            if (name.Length + needed > ChatServerOptions.MaxNameLength)
            {
                break;
            }

            if (space)
            {
                name.Append(' ');
                space = false;
            }

            if (rune.Value == ':')
            {
                name.Append('_');
            }
            else
            {
                name.Append(rune.ToString());
            }
        }

        return name.ToString();
    }

    /// <summary>
    /// Characters dropped from names: controls and everything <see cref="PeerText.IsUnsafe"/> refuses, format
    /// characters (Unicode category Cf: zero-width space, joiners, BOM, bidi marks, soft hyphen, word joiner, tags),
    /// line and paragraph separators, U+FFFD, variation selectors, the combining grapheme joiner, and the blank
    /// letters that render as nothing (Hangul fillers U+115F, U+1160, U+3164, U+FFA0, Braille blank U+2800).
    /// </summary>
    public static bool IsInvisible(Rune rune)
    {
        if (rune.IsBmp && PeerText.IsUnsafe((char)rune.Value))
        {
            return true;
        }

        switch (Rune.GetUnicodeCategory(rune))
        {
            case UnicodeCategory.Control:
            case UnicodeCategory.Format:
            case UnicodeCategory.LineSeparator:
            case UnicodeCategory.ParagraphSeparator:
            case UnicodeCategory.Surrogate:
            case UnicodeCategory.PrivateUse:
            case UnicodeCategory.OtherNotAssigned:
                return true;
        }

        return rune.Value is PeerText.Replacement or 0x034F or 0x115F or 0x1160 or 0x3164 or 0xFFA0 or 0x2800
            or (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);
    }

    /// <summary>
    /// What names are compared by: two names with the same skeleton are the same name. Per character: combining
    /// marks are dropped; full-width ASCII (U+FF01-U+FF5E) and the mathematical letters and digits
    /// (U+1D400-U+1D6A3, U+1D7CE-U+1D7FF) become plain ASCII; then lower case (invariant culture); then
    /// <see cref="Confusables"/>. The build runs with invariant globalization, which has no Unicode normalization,
    /// so these are the parts of NFKC that matter for names, done by hand. Apply it to a cleaned name.
    /// </summary>
    public static string Skeleton(string name)
    {
        var skeleton = new StringBuilder(name.Length);
        Span<char> units = stackalloc char[2];
        foreach (Rune rune in name.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark)
            {
                continue;
            }

            Rune folded = Rune.ToLowerInvariant(Fold(rune));
            if (folded.IsBmp && Confusables.TryGetValue((char)folded.Value, out char latin))
            {
                skeleton.Append(latin);
            }
            else
            {
                skeleton.Append(units[..folded.EncodeToUtf16(units)]);
            }
        }

        return skeleton.ToString();
    }

    /// <summary>Full-width and mathematical letters and digits as the ASCII ones they are drawn from.</summary>
    private static Rune Fold(Rune rune) => rune.Value switch
    {
        >= 0xFF01 and <= 0xFF5E => new Rune(rune.Value - 0xFEE0),
        >= 0x1D400 and <= 0x1D6A3 => new Rune(Letter((rune.Value - 0x1D400) % 52)),
        >= 0x1D7CE and <= 0x1D7FF => new Rune('0' + ((rune.Value - 0x1D7CE) % 10)),
        _ => rune,
    };

    // The mathematical alphabets run A-Z then a-z, 52 letters per style.
    private static int Letter(int index) => index < 26 ? 'A' + index : 'a' + index - 26;

    /// <summary>Whether two names are the same name (their skeletons are equal).</summary>
    public static bool Same(string a, string b) => string.Equals(Skeleton(a), Skeleton(b), StringComparison.Ordinal);

    /// <summary>Why a cleaned name cannot be used (for a <c>bad-name</c> refusal), or null when it can.</summary>
    public static string? Problem(string cleaned)
    {
        if (cleaned.Length == 0)
        {
            return "a chat name must have at least one visible character";
        }

        return ReservedSkeletons.Contains(Skeleton(cleaned))
            ? $"the name '{cleaned}' is reserved for the room's own lines"
            : null;
    }
}
