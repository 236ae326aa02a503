namespace Streamer.Chat;

/// <summary>
/// One line of the room's recent history, as a status page shows it: when, who, what kind (<see cref="ChatEvents"/>)
/// and the text. <see cref="From"/> and <see cref="Text"/> come from peers: they are neutralized
/// (<see cref="Protocol.PeerText.Sanitize"/>, at most 500 characters) but still
/// plain text, never markup: a page inserts them as text.
/// </summary>
public sealed class ChatLine
{
    /// <summary>A line said at <paramref name="at"/>.</summary>
    public ChatLine(DateTimeOffset at, string from, string @event, string text)
    {
        At = at;
        From = from ?? throw new ArgumentNullException(nameof(from));
        Event = @event ?? throw new ArgumentNullException(nameof(@event));
        Text = text ?? throw new ArgumentNullException(nameof(text));
    }

    /// <summary>When the room relayed it.</summary>
    public DateTimeOffset At { get; }

    /// <summary>The participant's name in the room (empty for a notice from the server).</summary>
    public string From { get; }

    /// <summary><see cref="ChatEvents.Message"/>, <see cref="ChatEvents.Join"/>, <see cref="ChatEvents.Leave"/> or <see cref="ChatEvents.Notice"/>.</summary>
    public string Event { get; }

    /// <summary>The message (a leave's reason when dropped; empty for a join).</summary>
    public string Text { get; }
}
