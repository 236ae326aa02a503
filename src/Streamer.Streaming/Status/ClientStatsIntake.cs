using System.Buffers;
using Streamer.Protocol;

namespace Streamer.Streaming.Status;

/// <summary>A listener's stats frame: kept for the status page; a malformed one is ignored (it is informational, never worth a session).</summary>
internal static class ClientStatsIntake
{
    public static void Accept(ListenerRegistry.Entry? listener, ReadOnlySequence<byte> payload)
    {
        if (listener is null)
        {
            return;
        }

        try
        {
            listener.Accept(ClientStatsMessage.Read(payload));
        }
        catch (ProtocolException)
        {
        }
    }
}
