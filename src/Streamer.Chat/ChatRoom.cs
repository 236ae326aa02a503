using System.Globalization;
using System.Text;
using Streamer.Protocol;

namespace Streamer.Chat;

/// <summary>
/// The one room: who is in it, under unique names. Members are an immutable array replaced on join and leave,
/// so relaying a message takes no lock and allocates no list. The room holds at most its capacity.
/// </summary>
internal sealed class ChatRoom
{
    /// <summary>
    /// Most UTF-8 bytes of names listed in a welcome; the rest are counted ("and 40 more"). A welcome listing every
    /// member outgrew the client's 16 KiB frame limit at a few hundred members and broke every newcomer's join.
    /// </summary>
    public const int WelcomeNameBytes = ChatServerOptions.MaxMessageBytes;

    private readonly Lock _lock = new();
    private readonly int _capacity;
    private ChatParticipant[] _members = [];

    public ChatRoom(int capacity = int.MaxValue)
    {
        _capacity = capacity;
    }

    public int Count => Volatile.Read(ref _members).Length;

    /// <summary>The last lines relayed, for a status page.</summary>
    public ChatHistory History { get; } = new();

    /// <summary>The members' names now, in join order.</summary>
    public string[] Names()
    {
        var members = Volatile.Read(ref _members);
        var names = new string[members.Length];
        for (int i = 0; i < members.Length; i++)
        {
            names[i] = members[i].Name;
        }

        return names;
    }

    /// <summary>
    /// Adds a participant under its requested name, or that name with "-2", "-3", … if taken. Returns the name
    /// given, or null when the room is full. <paramref name="others"/> has the first members' names, as many as fit
    /// in <see cref="WelcomeNameBytes"/>; <paramref name="othersCount"/> counts them all.
    /// </summary>
    public string? Join(ChatParticipant participant, string requestedName, out string[] others, out int othersCount)
    {
        lock (_lock)
        {
            others = [];
            othersCount = _members.Length;
            if (_members.Length >= _capacity)
            {
                return null;
            }

            string name = requestedName;
            for (int suffix = 2; IsTaken(name); suffix++)
            {
                name = requestedName + "-" + suffix.ToString(CultureInfo.InvariantCulture);
            }

            participant.Name = name;
            int shown = 0;
            for (int bytes = 0; shown < _members.Length; shown++)
            {
                bytes += Encoding.UTF8.GetByteCount(_members[shown].Name) + 2;
                if (bytes > WelcomeNameBytes)
                {
                    break;
                }
            }

            others = new string[shown];
            for (int i = 0; i < shown; i++)
            {
                others[i] = _members[i].Name;
            }

            _members = [.. _members, participant];
            return name;
        }
    }

    /// <summary>The welcome notice: who the newcomer is, and who is here (listed up to a bound, then counted).</summary>
    public static string WelcomeText(string name, string[] others, int othersCount)
    {
        if (othersCount == 0)
        {
            return $"you joined as {name}; nobody else is here yet";
        }

        string list = string.Join(", ", others);
        return othersCount > others.Length
            ? string.Create(CultureInfo.InvariantCulture, $"you joined as {name}; {othersCount} here: {list} and {othersCount - others.Length} more")
            : string.Create(CultureInfo.InvariantCulture, $"you joined as {name}; {othersCount} here: {list}");
    }

    /// <summary>Removes a participant; returns false if it was not a member (already gone).</summary>
    public bool Leave(ChatParticipant participant)
    {
        lock (_lock)
        {
            int index = Array.IndexOf(_members, participant);
            if (index < 0)
            {
                return false;
            }

            var next = new ChatParticipant[_members.Length - 1];
            Array.Copy(_members, 0, next, 0, index);
            Array.Copy(_members, index + 1, next, index, next.Length - index);
            _members = next;
            return true;
        }
    }

    /// <summary>Queues a message for every member but <paramref name="except"/>. Never waits: a member whose queue is full is dropped.</summary>
    public void Broadcast(ChatMessage message, ChatParticipant? except)
    {
        History.Record(message);
        var members = Volatile.Read(ref _members);
        foreach (var member in members)
        {
            if (!ReferenceEquals(member, except))
            {
                member.Enqueue(message);
            }
        }
    }

    /// <summary>Names are compared by their confusable skeleton: 'ALICE' and 'аlice' (Cyrillic а) are 'alice'.</summary>
    private bool IsTaken(string name)
    {
        string skeleton = ChatNames.Skeleton(name);
        foreach (var member in _members)
        {
            if (string.Equals(ChatNames.Skeleton(member.Name), skeleton, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
