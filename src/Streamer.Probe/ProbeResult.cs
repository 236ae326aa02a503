namespace Streamer.Probe;

/// <summary>The outcome for one target.</summary>
/// <param name="Target">What was probed.</param>
/// <param name="Address">The address connected to (up) or last tried (down); null when the name did not resolve.</param>
/// <param name="ConnectMs">Time the successful connect took, in ms; null when down.</param>
/// <param name="Attempts">Attempts used, from 1 to the allowed number.</param>
/// <param name="Failure">Why it is down; <see cref="ProbeFailure.None"/> when up.</param>
/// <param name="Detail">The last error in words, when down.</param>
/// <param name="Streamer">Set when the target answered the Streamer hello.</param>
/// <param name="ProtocolNote">When the protocol check ran and the peer is not a Streamer endpoint: why we think so.</param>
public sealed record ProbeResult(
    ProbeTarget Target,
    string? Address,
    double? ConnectMs,
    int Attempts,
    ProbeFailure Failure,
    string? Detail,
    StreamerPeerInfo? Streamer,
    string? ProtocolNote)
{
    /// <summary>True when the target was reached (<see cref="Failure"/> is <see cref="ProbeFailure.None"/>).</summary>
    public bool IsUp => Failure == ProbeFailure.None;
}
