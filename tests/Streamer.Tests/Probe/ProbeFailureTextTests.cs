using System.Net.Sockets;
using Streamer.Probe;

namespace Streamer.Tests.Probe;

public class ProbeFailureTextTests
{
    // Unreachable networks cannot be produced on loopback: the mapping from the socket errors is checked here.
    [Theory]
    [InlineData(SocketError.ConnectionRefused, "refused")]
    [InlineData(SocketError.TimedOut, "timed out")]
    [InlineData(SocketError.HostNotFound, "not resolved")]
    [InlineData(SocketError.TryAgain, "not resolved")]
    [InlineData(SocketError.NetworkUnreachable, "unreachable")]
    [InlineData(SocketError.HostUnreachable, "unreachable")]
    [InlineData(SocketError.NetworkDown, "unreachable")]
    [InlineData(SocketError.HostDown, "unreachable")]
    [InlineData(SocketError.AccessDenied, "failed")]
    public void Socket_errors_map_to_reasons(SocketError error, string reason)
    {
        Assert.Equal(reason, ProbeFailureText.Classify(error).ToText());
    }
}
