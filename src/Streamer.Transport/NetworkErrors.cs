using System.Net.Sockets;

namespace Streamer.Transport;

/// <summary>Turns socket errors into the short phrases users see.</summary>
public static class NetworkErrors
{
    /// <summary>A short lower-case phrase for <paramref name="error"/> (for example "connection refused"); the enum name for codes without one.</summary>
    public static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "name not resolved",
        SocketError.TimedOut => "timed out",
        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown or SocketError.HostDown => "unreachable",
        SocketError.AddressAlreadyInUse => "address already in use",
        SocketError.AddressNotAvailable => "address not available on this machine",
        SocketError.AccessDenied => "permission denied",
        SocketError.ConnectionReset => "connection reset by peer",
        _ => error.ToString(),
    };
}
