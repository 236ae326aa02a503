using Streamer.Protocol.Security;
using Streamer.Transport.Sockets;

namespace Streamer.Protocol.Hosting;

/// <summary>
/// The limits of a <see cref="ConnectionHost"/> (Kestrel's <c>KestrelServerLimits</c> in spirit). A connection is
/// first <em>pending</em>: it has until <see cref="HandshakeTimeout"/> to send a valid hello, in a pool of
/// <see cref="MaxPendingConnections"/>. Only then does it take one of the <see cref="MaxSessions"/> session slots,
/// so sockets that never speak (slowloris) can never lock real clients out of the slots.
/// </summary>
public sealed class ConnectionHostOptions
{
    /// <summary>
    /// Most sessions at once (clients past their hello): <c>--max-clients</c>. Default 64. Each costs buffers and
    /// a share of the CPU; more are refused with <c>server-full</c> in place of the server's hello.
    /// </summary>
    public int MaxSessions { get; set; } = 64;

    /// <summary>
    /// Most connections still in their hello. Default 512. When the pool is full, a new connection evicts the
    /// oldest pending one of the address with the most pending connections instead of being refused: a real
    /// client's hello takes milliseconds while an attacker's sockets wait, and the attacker's own sockets go first,
    /// so holding the pool cannot keep newcomers out. Each pending connection
    /// holds a socket descriptor and its receive buffer; raise the process's descriptor limit with it.
    /// </summary>
    public int MaxPendingConnections { get; set; } = 512;

    /// <summary>
    /// Most pending connections from one address (IPv6: one /64). Default 16. A further connection from that
    /// address evicts its own oldest pending one, so one address cannot fill the pool. Clients behind one NAT share
    /// the limit, but only while they are in their hello (milliseconds each).
    /// </summary>
    public int MaxPendingPerAddress { get; set; } = 16;

    /// <summary>
    /// Most sessions from one address (IPv6: one /64), or 0 for no limit (default). Set it on a public server so
    /// one address cannot take every slot with valid hellos; leave it off when many clients share a NAT or a proxy.
    /// </summary>
    public int MaxSessionsPerAddress { get; set; }

    /// <summary>
    /// Time a connection has to send its whole hello. Default 3 s, plenty on any network (a hello is one small frame
    /// sent right after connecting). Longer lets idle sockets hold pending places longer.
    /// </summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// How long accepting pauses at first when the process is out of descriptors or memory (EMFILE, ENFILE,
    /// ENOBUFS); each further failure doubles it, up to 1 s. Default 50 ms. Existing sessions go on meanwhile;
    /// new clients wait in the kernel's backlog and are served once descriptors are free again.
    /// </summary>
    public TimeSpan AcceptBackoff { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Descriptors kept free for the sessions already running and for the runtime itself. Default 32, or a tenth of
    /// the process's descriptor limit (<c>ulimit -n</c>) when that is smaller, so a small limit still admits clients.
    /// When accepting one more connection would leave fewer free (counting one for each connection still in its
    /// hello, which opens its source once admitted), newcomers are accepted and closed at once, with one error line
    /// per episode, instead of running the process out: a running session then never fails to get a socket or a
    /// file, and the runtime (which needs descriptors for its own memory mappings and prints "Out of memory." without
    /// them) never starves. The limit is re-read while the server runs, so <c>prlimit --pid</c> takes effect at once.
    /// Too small a reserve risks EMFILE mid-session again; too large refuses clients while descriptors are left.
    /// 0 turns the check off (only the back-off on EMFILE is left).
    /// </summary>
    public int DescriptorReserve { get; set; } = 32;

    /// <summary>Connections the kernel holds before they are accepted (listen backlog). Default 512, as Kestrel.</summary>
    public int Backlog { get; set; } = 512;

    /// <summary>
    /// The tokens clients must present in their hello (<c>--token-file</c>), or null (default) to admit anyone who can
    /// connect. A refused client gets <c>unauthorized</c> while still pending, so it never takes a session slot.
    /// </summary>
    public AccessTokens? Tokens { get; set; }

    /// <summary>Buffers and bounds of each accepted connection.</summary>
    public SocketConnectionOptions Connection { get; set; } = new();
}
