using Streamer.Protocol;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Transport;

/// <summary>
/// The transport states the protocol's frame limits itself (it does not reference the protocol): they must stay
/// equal, or a maximal frame would no longer fit the receive queue.
/// </summary>
public sealed class SocketConnectionOptionsTests
{
    [Fact]
    public void Default_frame_limit_is_the_protocols()
    {
        Assert.Equal(FrameParser.DefaultMaxFrameLength, new SocketConnectionOptions().MaxFrameLength);
    }

    [Fact]
    public void Receive_queue_holds_one_maximal_frame_with_its_prefix_plus_slack()
    {
        var options = new SocketConnectionOptions { MaxFrameLength = 4096 };

        Assert.Equal(4096 + FrameParser.PrefixLength + (64 * 1024), options.MaxInputBufferBytes);
    }
}
