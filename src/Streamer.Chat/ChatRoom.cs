using System.Globalization;
using Streamer.Protocol;

namespace Streamer.Chat;

/// <summary>
/// The one room: who is in it, under unique names. Members are an immutable array replaced on join and leave,
/// so relaying a message takes no lock and allocates no list.
/// </summary>
internal sealed class ChatRoom
{
    private readonly Lock _lock = new();
    private ChatParticipant[] _members = [];

    public int Count => Volatile.Read(ref _members).Length;

    /// <summary>Adds a participant under its requested name, or that name with "-2", "-3", … if taken. Returns the name given.</summary>
    public string Join(ChatParticipant participant, string requestedName, out string[] others)
    {
        lock (_lock)
        {
            string name = requestedName;
            for (int suffix = 2; IsTaken(name); suffix++)
            {
                name = requestedName + "-" + suffix.ToString(CultureInfo.InvariantCulture);
            }

            participant.Name = name;
            others = new string[_members.Length];
            for (int i = 0; i < _members.Length; i++)
            {
                others[i] = _members[i].Name;
            }

            _members = [.. _members, participant];
            return name;
        }
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
        var members = Volatile.Read(ref _members);
        foreach (var member in members)
        {
            if (!ReferenceEquals(member, except))
            {
                member.Enqueue(message);
            }
        }
    }

    private bool IsTaken(string name)
    {
        foreach (var member in _members)
        {
            if (string.Equals(member.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
