using System.Net.Sockets;

namespace Streamer.Probe;

/// <summary>The text forms of <see cref="ProbeFailure"/> that the table and the JSON show.</summary>
public static class ProbeFailureText
{
    /// <summary>The failure as the table and the JSON show it ("refused", "timed out", …); empty for <see cref="ProbeFailure.None"/>.</summary>
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
    internal static ProbeFailure Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => ProbeFailure.Refused,
        SocketError.TimedOut => ProbeFailure.TimedOut,
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => ProbeFailure.NotResolved,
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown
            or SocketError.AddressNotAvailable => ProbeFailure.Unreachable,
        _ => ProbeFailure.Failed,
    };
}
