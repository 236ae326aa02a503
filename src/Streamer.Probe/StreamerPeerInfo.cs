using Streamer.Protocol;

namespace Streamer.Probe;

/// <summary>What a target that speaks the Streamer protocol said about itself.</summary>
/// <param name="Version">The protocol version in its hello; null when it refused ours before saying (see <paramref name="Error"/>).</param>
/// <param name="Role">Its hello role, e.g. "server".</param>
/// <param name="Agent">Its software, e.g. "streamer/0.1.0".</param>
/// <param name="Rtt">Ping round trips; null when no pong came back.</param>
/// <param name="Error">Why the exchange stopped early (version mismatch, pongs missing), or null.</param>
/// <remarks>The strings come from the peer: they are neutralized here (<see cref="PeerText"/>), so the table, the
/// JSON and the log all show the same safe text.</remarks>
public sealed record StreamerPeerInfo(int? Version, string Role, string Agent, RttStatistics? Rtt, string? Error)
{
    /// <summary>The peer's hello role, neutralized for display.</summary>
    public string Role { get; } = PeerText.ForDisplay(Role);

    /// <summary>The peer's agent, neutralized for display.</summary>
    public string Agent { get; } = PeerText.ForDisplay(Agent);

    /// <summary>Why the exchange stopped early, neutralized for display; null when it did not.</summary>
    public string? Error { get; } = Error is null ? null : PeerText.ForDisplay(Error);
}
