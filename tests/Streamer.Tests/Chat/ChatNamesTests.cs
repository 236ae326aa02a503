using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Support;
using Streamer.Transport;

namespace Streamer.Tests.Chat;

/// <summary>Names that would pose as someone else or as the room itself, through a real chat server.</summary>
public sealed class ChatNamesTests
{
    // Each was accepted as a new, distinct name next to 'alice' (issue 15); now each is the same name as alice's
    // and gets a suffix, so the room and everyone in it can tell them apart.
    [Theory]
    [InlineData("\u0430lice", "\u0430lice-2")] // Cyrillic а
    [InlineData("alice\u200B", "alice-2")] // zero-width space
    [InlineData("\uFEFFalice", "alice-2")] // byte order mark
    [InlineData("al\u200Dice\u2060", "alice-2")] // zero-width joiner, word joiner
    [InlineData("\u0391LICE", "\u0391LICE-2")] // Greek capital alpha
    [InlineData("\uFF41lice", "\uFF41lice-2")] // full-width a
    [InlineData("\U0001D41A\U0001D425\U0001D422\U0001D41C\U0001D41E", "\U0001D41A\U0001D425\U0001D422\U0001D41C\U0001D41E-2")] // mathematical bold
    [InlineData("ali\u0301ce", "ali\u0301ce-2")] // a combining accent
    [InlineData("ALICE", "ALICE-2")]
    [InlineData("alice ", "alice-2")]
    [InlineData("a\u00A0lice", "a lice")] // a no-break space is a space: a different name
    public async Task Look_alikes_of_a_present_name_get_a_suffix(string requested, string joinedAs)
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");

        await using var other = await ChatPeer.JoinAsync(room.Port, requested);

        Assert.Contains($"* you joined as {joinedAs}; 1 here: alice", other.Lines);
        await alice.WaitForAsync($"* {joinedAs} joined");
    }

    [Theory]
    [InlineData("\u200B\u200B\u200B", "a chat name must have at least one visible character")]
    [InlineData("\uFEFF\u2060\u200D \u3164", "a chat name must have at least one visible character")]
    [InlineData("server", "the name 'server' is reserved for the room's own lines")]
    [InlineData("Server", "the name 'Server' is reserved for the room's own lines")]
    [InlineData("\u0455erver\u200B", "the name '\u0455erver' is reserved for the room's own lines")] // Cyrillic ѕ
    [InlineData("chat-server", "the name 'chat-server' is reserved for the room's own lines")]
    [InlineData("* you", "the name 'you' is reserved for the room's own lines")]
    public async Task Invisible_and_reserved_names_are_refused_with_bad_name(string requested, string message)
    {
        await using var room = new ChatRoomHost();
        await using var alice = await ChatPeer.JoinAsync(room.Port, "alice");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

        var refused = await Assert.ThrowsAsync<RemoteErrorException>(async () =>
        {
            await using var client = await ChatClient.ConnectAsync(new HostPort("127.0.0.1", room.Port), requested, NullLogger.Instance, timeout.Token);
            await client.ReceiveAsync(timeout.Token);
        });

        Assert.Equal("bad-name", refused.Code);
        Assert.Equal(message, refused.Message);
        await using var bob = await ChatPeer.JoinAsync(room.Port, "bob");
        Assert.Contains("* you joined as bob; 1 here: alice", bob.Lines);
    }

    [Theory]
    [InlineData("server")]
    [InlineData("\u200B\u200B")]
    public async Task The_client_refuses_such_names_before_connecting(string name)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["chat", "connect", "127.0.0.1:1", "--name", name]);

        Assert.Equal(2, code);
        Assert.StartsWith("streamer: error: --name", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd('\n').Split('\n'));
    }

    [Theory]
    [InlineData("alice", "allce")]
    [InlineData("\u0410LICE", "allce")] // Cyrillic А
    [InlineData("\u03B1lice", "allce")] // Greek α
    [InlineData("a1ice", "allce")]
    [InlineData("b0b", "bob")]
    [InlineData("\uFF22\uFF4F\uFF42", "bob")] // full-width
    [InlineData("\u0432\u043E\u0432", "bob")] // Cyrillic вов, which reads as ВОВ in capitals
    [InlineData("\u0440\u0430\u0443\u0440\u0430\u0441", "paypac")]
    public void Skeletons_fold_case_width_and_common_look_alikes(string name, string skeleton)
    {
        Assert.Equal(skeleton, ChatNames.Skeleton(name));
    }

    [Theory]
    [InlineData("\u00ADbob\u180E", "bob")] // soft hyphen, Mongolian vowel separator
    [InlineData("bob\uFE0F", "bob")] // variation selector
    [InlineData("bob\U000E0041", "bob")] // tag character
    [InlineData("\u2800bob\uFFA0", "bob")] // Braille blank, half-width Hangul filler
    [InlineData("**bob", "bob")]
    [InlineData("bo*b", "bo*b")]
    [InlineData("a \u2003\u3000 b", "a b")]
    [InlineData("\U0001F600\U0001F600", "\U0001F600\U0001F600")] // emoji stay, whole
    [InlineData("0123456789012345678901234567890\U0001F600", "0123456789012345678901234567890")] // no half pair
    public void Cleaning_drops_invisible_characters_and_keeps_visible_ones(string requested, string name)
    {
        Assert.Equal(name, ChatNames.Clean(requested));
    }
}
