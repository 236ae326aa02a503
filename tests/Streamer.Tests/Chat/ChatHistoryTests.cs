using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Tests.Support;

namespace Streamer.Tests.Chat;

/// <summary>The room's recent lines for a status page: a bounded ring, oldest first, peer text neutralized on the way in, stamped by the given clock.</summary>
public sealed class ChatHistoryTests
{
    [Fact]
    public void The_last_lines_are_kept_oldest_first_and_the_ring_is_bounded()
    {
        var history = new ChatHistory();
        for (int i = 0; i < ChatHistory.Capacity + 7; i++)
        {
            history.Record(new ChatMessage("ann", "line " + i, ChatEvents.Message));
        }

        Assert.Equal(ChatHistory.Capacity + 7, history.Count);
        var last = history.Recent(3);
        Assert.Equal(new[] { "line 54", "line 55", "line 56" }, last.Select(l => l.Text).ToArray());
        Assert.Equal(ChatHistory.Capacity, history.Recent(1000).Length);
        Assert.Equal("line 7", history.Recent(1000)[0].Text);
        Assert.Empty(new ChatHistory().Recent(20));
    }

    [Fact]
    public void Peer_text_is_neutralized_and_cut_and_stamped_with_the_clock()
    {
        var clock = new ManualTimeProvider();
        var history = new ChatHistory(clock);
        history.Record(new ChatMessage("m\u202Eallory", "red \u001b[31mtext\r\nforged: line <b>", ChatEvents.Message));
        history.Record(new ChatMessage("bob", new string('x', 2000), ChatEvents.Message));
        var lines = history.Recent(2);
        Assert.Equal("m\uFFFDallory", lines[0].From);
        Assert.Equal("red \uFFFDtext\uFFFD\uFFFDforged: line <b>", lines[0].Text);
        Assert.Equal(clock.GetUtcNow(), lines[0].At);
        Assert.Equal(ChatHistory.MaxTextLength + 1, lines[1].Text.Length);
        Assert.EndsWith("…", lines[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Changed_completes_on_the_next_line_and_a_fresh_one_waits_for_the_line_after()
    {
        var history = new ChatHistory();
        var first = history.Changed;
        Assert.False(first.IsCompleted);
        Assert.Same(first, history.Changed);
        history.Record(new ChatMessage("ann", "hi", ChatEvents.Message));
        Assert.True(first.IsCompletedSuccessfully);
        var second = history.Changed;
        Assert.NotSame(first, second);
        Assert.False(second.IsCompleted);
    }
}
