namespace Streamer.Streaming.Send;

/// <summary>
/// A copy-on-write set of subscribers: the producer reads <see cref="Current"/> without a lock on every frame; a join
/// or a leave (rare next to frames) swaps in a new array under a lock.
/// </summary>
internal sealed class Subscribers<T>
    where T : class
{
    private readonly Lock _lock = new();
    private T[] _items = [];

    /// <summary>Everyone subscribed now; never changed in place.</summary>
    public T[] Current => Volatile.Read(ref _items);

    public void Add(T item)
    {
        lock (_lock)
        {
            Volatile.Write(ref _items, [.. _items, item]);
        }
    }

    public void Remove(T item)
    {
        lock (_lock)
        {
            Volatile.Write(ref _items, Array.FindAll(_items, i => !ReferenceEquals(i, item)));
        }
    }
}
