namespace Streamer.Transport;

/// <summary>
/// An optional feature of a connection: bytes handed to the transport at once, on the caller's thread and from the
/// caller's memory, with no copy into the output queue and no wake-up of a send loop. A broadcast sends one shared
/// frame to a thousand listeners this way, one system call each (Icecast's shape), and writes to
/// <see cref="System.IO.Pipelines.IDuplexPipe.Output"/> instead whenever a listener's connection is busy. A connection
/// without it (TLS, Kestrel's) is written through its output only; test it with <c>connection as IImmediateSend</c>.
/// </summary>
public interface IImmediateSend
{
    /// <summary>
    /// Sends as much of <paramref name="data"/> as the transport takes without waiting, but only when everything
    /// written to the output before has already been handed on, so these bytes never overtake earlier ones. Returns
    /// how many bytes it took: 0 when it took none (the output still has bytes to send, the transport's buffer is full,
    /// or the connection is closed: the caller then writes to the output, which reports a closed connection); fewer
    /// than asked when the buffer filled up (the caller writes the rest to the output at once). Callers serialize this
    /// with their own writes to the output, as they serialize those writes.
    /// </summary>
    int TrySendNow(ReadOnlySpan<byte> data);
}
