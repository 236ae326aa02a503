using System.Diagnostics.Metrics;

namespace Streamer.Chat;

/// <summary>
/// The chat server's instruments (meter <c>Streamer.Chat</c>; docs/metrics.md lists them). Process-wide, tagless:
/// Add allocates nothing.
/// </summary>
internal static class ChatMetrics
{
    /// <summary>The meter's name, for dotnet-counters and OpenTelemetry.</summary>
    public const string MeterName = "Streamer.Chat";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Connections accepted (before their hello).</summary>
    public static readonly Counter<long> Connections = Meter.CreateCounter<long>("streamer.chat.connections", "{connection}", "Connections accepted by the chat server, before their hello");

    /// <summary>Participants in the room now.</summary>
    public static readonly UpDownCounter<long> ActiveParticipants = Meter.CreateUpDownCounter<long>("streamer.chat.active_participants", "{participant}", "Participants in the chat room now");

    /// <summary>Chat messages taken from participants and relayed.</summary>
    public static readonly Counter<long> MessagesReceived = Meter.CreateCounter<long>("streamer.chat.messages.received", "{message}", "Chat messages received from participants and relayed to the room");

    /// <summary>Frames written to participants (messages, notices, joins and leaves, pongs).</summary>
    public static readonly Counter<long> FramesSent = Meter.CreateCounter<long>("streamer.chat.frames.sent", "{frame}", "Frames sent to participants: messages, notices, joins, leaves, pongs");

    /// <summary>Participants dropped (flooding, garbage, a full queue, a lost connection).</summary>
    public static readonly Counter<long> Dropped = Meter.CreateCounter<long>("streamer.chat.participants.dropped", "{participant}", "Participants dropped: flooding, garbage, a queue that stayed full, a lost connection");
}
