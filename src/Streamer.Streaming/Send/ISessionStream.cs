namespace Streamer.Streaming.Send;

/// <summary>
/// What a <see cref="ServerSession"/> streams once its client is admitted: its own pass over the source
/// (<see cref="OnDemandStream"/>, each client from the start) or its place in the one shared <see cref="Broadcast"/>.
/// The session owns the handshake, the receive loop (pings) and the stall watchdog; this owns the audio.
/// </summary>
internal interface ISessionStream
{
    /// <summary>The codec the client must decode (checked against its hello).</summary>
    string CodecName { get; }

    /// <summary>
    /// Sends the stream info, the audio and the end of stream to one client through <paramref name="output"/>.
    /// Throws <see cref="ClientGoneException"/> when the client is gone, <see cref="IOException"/> when the source
    /// fails (the session then tells the client with an error frame).
    /// </summary>
    Task SendAsync(SessionOutput output, CancellationToken cancellationToken);
}
