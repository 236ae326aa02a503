namespace Streamer.Streaming.Send;

/// <summary>How clients share the input (<c>serve --mode</c>).</summary>
public enum StreamMode
{
    /// <summary>Each client gets its own pass over the input, from the start, with its own encoder (a file only).</summary>
    OnDemand,

    /// <summary>One reader and one encoder; every client hears the same moment, joining at the live edge.</summary>
    Broadcast,
}
