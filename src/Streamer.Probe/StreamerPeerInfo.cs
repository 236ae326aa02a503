namespace Streamer.Probe;

/// <summary>What a target that speaks the Streamer protocol said about itself.</summary>
/// <param name="Version">The protocol version in its hello; null when it refused ours before saying (see <paramref name="Error"/>).</param>
/// <param name="Role">Its hello role, e.g. "server".</param>
/// <param name="Agent">Its software, e.g. "streamer/0.1.0".</param>
/// <param name="Rtt">Ping round trips; null when no pong came back.</param>
/// <param name="Error">Why the exchange stopped early (version mismatch, pongs missing), or null.</param>
internal sealed record StreamerPeerInfo(int? Version, string Role, string Agent, RttStatistics? Rtt, string? Error);
