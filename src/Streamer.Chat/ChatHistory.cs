using Streamer.Protocol;

namespace Streamer.Chat;

/// <summary>
/// The room's last lines (joins, leaves, messages, notices), for a status page: a fixed ring under a lock, written
/// once per relayed message (not per member), so its cost does not grow with the room. Text is neutralized on the
/// way in: whoever reads it gets no control character, escape sequence or bidi override from a peer.
/// </summary>
internal sealed class ChatHistory
{
    /// <summary>Lines kept.</summary>
    public const int Capacity = 50;

    /// <summary>Characters of one line's text kept; the rest becomes "…".</summary>
    public const int MaxTextLength = 500;

    private readonly Lock _lock = new();
    private readonly ChatLine[] _lines = new ChatLine[Capacity];
    private readonly TimeProvider _time;
    private long _count;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChatHistory(TimeProvider? time = null)
    {
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Lines recorded since the room opened (a page can tell whether anything is new).</summary>
    public long Count
    {
        get
        {
            lock (_lock)
            {
                return _count;
            }
        }
    }

    /// <summary>Completes when the next line is recorded (a status page pushes it at once instead of at its next tick).</summary>
    public Task Changed
    {
        get
        {
            lock (_lock)
            {
                return _changed.Task;
            }
        }
    }

    public void Record(ChatMessage message)
    {
        var line = new ChatLine(_time.GetUtcNow(), PeerText.Sanitize(message.From), message.Event, Neutralize(message.Text));
        TaskCompletionSource changed;
        lock (_lock)
        {
            _lines[_count % Capacity] = line;
            _count++;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Outside the lock, and the waiters run on the pool: the relaying thread never runs a page's code.
        changed.TrySetResult();
    }

    /// <summary>The last <paramref name="count"/> lines (or fewer), oldest first.</summary>
    public ChatLine[] Recent(int count)
    {
        lock (_lock)
        {
            int n = (int)Math.Min(Math.Min(count, Capacity), _count);
            var recent = new ChatLine[n];
            for (int i = 0; i < n; i++)
            {
                recent[i] = _lines[(_count - n + i) % Capacity];
            }

            return recent;
        }
    }

    private static string Neutralize(string text)
    {
        if (text.Length > MaxTextLength)
        {
            int cut = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
            text = string.Concat(text.AsSpan(0, cut), "…");
        }

        return PeerText.Sanitize(text);
    }
}
