using Streamer.Chat;
using Streamer.Cli.Chat;
using Streamer.Protocol;

namespace Streamer.Tests.Chat;

public class ChatTextTests
{
    private const string R = "\uFFFD";

    [Theory]
    [InlineData("hello", "hello")]
    [InlineData("héllo wörld ✓ 日本語 🎵", "héllo wörld ✓ 日本語 🎵")]
    [InlineData("a\tb", "a b")]
    [InlineData("\u001B[2Jcleared", R + "cleared")]
    [InlineData("\u001B[1;1H\u001B[31mred\u001B[0m", R + R + "red" + R)]
    [InlineData("\u001B]0;pwned\u0007title", R + "title")]
    [InlineData("\u001B]2;pwned\u001B\\title", R + "title")]
    [InlineData("\u001B]8;;http://evil\u001B\\link\u001B]8;;\u001B\\", R + "link" + R)]
    [InlineData("\u001BPq#0;2;0;0;0\u001B\\after", R + "after")]
    [InlineData("\u001Bcreset", R + "reset")]
    [InlineData("\u001B(Bcharset", R + "charset")]
    [InlineData("\u001B7save\u001B8", R + "save" + R)]
    [InlineData("\u009B2Jc1 csi", R + "c1 csi")]
    [InlineData("\u009D0;t\u009Cc1 osc", R + "c1 osc")]
    [InlineData("\u001B]0;never ends", R)]
    [InlineData("trailing \u001B", "trailing " + R)]
    [InlineData("line\nbob: forged", "line" + R + "bob: forged")]
    [InlineData("back\rover", "back" + R + "over")]
    [InlineData("bell\u0007 bs\b del\u007F nul\0", "bell" + R + " bs" + R + " del" + R + " nul" + R)]
    [InlineData("\u202Eevil\u202C", R + "evil" + R)]
    [InlineData("\u2066iso\u2069 \u200Fmark", R + "iso" + R + " " + R + "mark")]
    [InlineData("sep\u2028arator", "sep" + R + "arator")]
    public void Neutralizes_controls_escapes_and_bidi_overrides(string raw, string shown)
    {
        Assert.Equal(shown, PeerText.Sanitize(raw));
    }

    [Fact]
    public void Nothing_that_can_drive_a_terminal_survives_any_input()
    {
        var random = new Random(5);
        for (int round = 0; round < 2000; round++)
        {
            var chars = new char[random.Next(0, 40)];
            for (int i = 0; i < chars.Length; i++)
            {
                chars[i] = random.Next(4) switch
                {
                    0 => (char)random.Next(0, 0x20),
                    1 => (char)random.Next(0x7F, 0xA0),
                    2 => "[];P\\^_0123456789mHJ?"[random.Next(21)],
                    _ => (char)random.Next(0x20, 0x3000),
                };
            }

            string safe = PeerText.Sanitize(new string(chars));
            foreach (char c in safe)
            {
                Assert.False(PeerText.IsUnsafe(c), $"U+{(int)c:X4} survived in round {round}");
            }
        }
    }

    [Theory]
    [InlineData("alice", "alice")]
    [InlineData("  bob  ", "bob")]
    [InlineData("\u001B[31mmallory", "[31mmallory")]
    [InlineData("eve: admin", "eve_ admin")]
    [InlineData("\u202Eetinum", "etinum")]
    [InlineData("\u0007\u0008", "")]
    [InlineData("a-very-long-name-that-goes-on-and-on-and-on", "a-very-long-name-that-goes-on-an")]
    public void Names_are_cleaned(string requested, string name)
    {
        Assert.Equal(name, ChatParticipant.CleanName(requested));
    }

    [Theory]
    [InlineData("message", "alice", "hi", "alice: hi")]
    [InlineData("join", "bob", "", "* bob joined")]
    [InlineData("leave", "bob", "", "* bob left")]
    [InlineData("leave", "bob", "dropped: flooding", "* bob left (dropped: flooding)")]
    [InlineData("notice", "", "the room is closing", "* the room is closing")]
    [InlineData("message", "x\u001B[2J", "\u001B]0;t\u0007y", "x" + R + ": " + R + "y")]
    public void Formats_room_messages(string evt, string from, string text, string line)
    {
        Assert.Equal(line, ChatConsole.Format(new ChatMessage(from, text, evt)));
    }
}
