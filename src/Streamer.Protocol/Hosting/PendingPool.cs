using Streamer.Transport;

namespace Streamer.Protocol.Hosting;

/// <summary>
/// The connections still in their hello, oldest first, counted per address. Not thread-safe: the host's lock
/// guards every call.
/// </summary>
internal sealed class PendingPool
{
    private readonly LinkedList<PendingConnection> _list = new();
    private readonly Dictionary<PeerAddress, int> _perAddress = [];

    public int Count => _list.Count;

    public int CountFrom(PeerAddress address) => _perAddress.GetValueOrDefault(address);

    public void Add(PendingConnection pending)
    {
        pending.Node = _list.AddLast(pending);
        _perAddress[pending.Address] = CountFrom(pending.Address) + 1;
    }

    /// <summary>Takes a connection out of the pool; false when it was no longer in it (evicted meanwhile).</summary>
    public bool Remove(PendingConnection pending)
    {
        if (pending.Node is null)
        {
            return false;
        }

        _list.Remove(pending.Node);
        pending.Node = null;
        int left = _perAddress[pending.Address] - 1;
        if (left == 0)
        {
            _perAddress.Remove(pending.Address);
        }
        else
        {
            _perAddress[pending.Address] = left;
        }

        return true;
    }

    public PendingConnection OldestFrom(PeerAddress address)
    {
        for (var node = _list.First; node is not null; node = node.Next)
        {
            if (node.Value.Address == address)
            {
                return node.Value;
            }
        }

        throw new InvalidOperationException("the per-address count is out of step with the pending list");
    }

    /// <summary>
    /// The oldest connection of the address with the most pending connections (ties: the oldest of them all), so an
    /// attack from many sockets pays for itself first.
    /// </summary>
    public PendingConnection OldestOfBusiestAddress()
    {
        int most = 0;
        foreach (int count in _perAddress.Values)
        {
            most = Math.Max(most, count);
        }

        for (var node = _list.First; node is not null; node = node.Next)
        {
            if (_perAddress[node.Value.Address] == most)
            {
                return node.Value;
            }
        }

        throw new InvalidOperationException("the per-address counts are out of step with the pending list");
    }

    public PendingConnection[] ToArray() => [.. _list];
}

/// <summary>One connection in its hello: what the host needs to evict it.</summary>
internal sealed class PendingConnection(IConnection connection, PeerAddress address)
{
    public IConnection Connection { get; } = connection;

    public PeerAddress Address { get; } = address;

    public CancellationTokenSource Cancel { get; } = new();

    /// <summary>Its place in the pool; null once it is no longer pending. Guarded by the host's lock.</summary>
    public LinkedListNode<PendingConnection>? Node { get; set; }

    /// <summary>Ends the hello phase at once: cancels it and closes the socket.</summary>
    public void Close()
    {
        // The connection may be ending on its own meanwhile: closing it twice is harmless.
        try
        {
            Cancel.Cancel();
            Connection.Abort();
        }
        catch (ObjectDisposedException)
        {
        }
    }
}
