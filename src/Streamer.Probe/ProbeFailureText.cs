using System.Net.Sockets;

namespace Streamer.Probe;

internal static class ProbeFailureText
{
    public static string ToText(this ProbeFailure failure) => failure switch
    {
        ProbeFailure.None => string.Empty,
        ProbeFailure.NotResolved => "not resolved",
        ProbeFailure.Refused => "refused",
        ProbeFailure.TimedOut => "timed out",
        ProbeFailure.Unreachable => "unreachable",
        _ => "failed",
    };

    /// <summary>Classifies a connect error.</summary>
    public static ProbeFailure Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ProbeFailure.Refused,
        SocketError.TimedOut => ProbeFailure.TimedOut,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ProbeFailure.NotResolved,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown
            or SocketError.AddressNotAvailable => ProbeFailure.Unreachable,
        _ => ProbeFailure.Failed,
    };
}
