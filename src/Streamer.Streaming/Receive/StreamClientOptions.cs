using Streamer.Media.Outputs;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Streaming.Receive;

/// <summary>How a <see cref="StreamClient"/> connects, what it asks for and where the stream goes.</summary>
public sealed class StreamClientOptions
{
    /// <summary>
    /// Builds the sink chain once the server announced its stream, and returns its head: a packet sink of the
    /// caller's, or one of <see cref="ReceiveContext"/>'s decoding chains to an output. The client disposes the head
    /// (and with it the whole chain) on every exit path.
    /// </summary>
    public required Func<ReceiveContext, IPacketSink> CreateSink { get; init; }

    /// <summary>The connection's bounds and I/O mode. Default: blocking I/O on a receive thread of its own, the
    /// cheapest way to receive one live stream (see <see cref="SocketConnectionOptions.BlockingIo"/>), on Linux,
    /// where closing a socket aborts a blocked connect; asynchronous I/O elsewhere.</summary>
    public SocketConnectionOptions Connection { get; init; } = new() { BlockingIo = OperatingSystem.IsLinux() };

    /// <summary>How to reach the server; null (default) connects a socket with <see cref="Connection"/>'s options.
    /// Tests pass the memory transport's connector.</summary>
    public IConnectionFactory? Connector { get; init; }

    /// <summary>The access token sent in the hello, for a server with a token file; null sends none. Never logged.
    /// An HTTP stream (<see cref="Http.HttpStreamClient"/>) sends it as <c>Authorization: Bearer</c>.</summary>
    public string? Token { get; init; }

    /// <summary>
    /// How an <c>https://</c> stream's certificate is checked (<see cref="Http.HttpStreamClient"/>): a pinned
    /// fingerprint, a private CA, or none (insecure); and a client certificate. Null (default) trusts the system's CAs.
    /// The native protocol takes TLS through <see cref="Connector"/> instead.
    /// </summary>
    public Streamer.Transport.Tls.TlsClientOptions? Tls { get; init; }

    /// <summary>
    /// A stream that brings no audio frame for this long fails ("no audio for N s"), with the output finalized.
    /// Default 10 s; null waits forever. Shorter catches a dead server sooner but may give up on a network that
    /// stalls briefly (TCP retransmits back off to seconds).
    /// </summary>
    public TimeSpan? StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for connecting and the hello exchange. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
