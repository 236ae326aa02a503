using System.Buffers;
using System.Text.Json;
using Streamer.Chat;
using Streamer.Protocol;
using Streamer.Streaming.Http;
using Streamer.Streaming.Send;

namespace Streamer.Web;

/// <summary>
/// The server's state as JSON (/status.json, and each server-sent event of /events): the stream, every listener of
/// either protocol, and the chat room. The schema is documented in docs/web.md; add fields, never rename them.
/// </summary>
internal sealed class StatusJson(StreamServer server, OggLiveStream ogg, HttpListenerRegistry http, ChatServer? chat, DateTimeOffset startedAt)
{
    /// <summary>The room's last lines shown.</summary>
    public const int ChatLines = 20;

    /// <summary>Member names listed; more are counted only.</summary>
    public const int MaxChatNames = 100;

    /// <summary>The status now; <paramref name="chatReadable"/> false leaves out the room's names and lines (a listen-only token).</summary>
    public byte[] Build(bool chatReadable = true)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var json = new Utf8JsonWriter(buffer))
        {
            Write(json, DateTimeOffset.UtcNow, chatReadable);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private void Write(Utf8JsonWriter json, DateTimeOffset now, bool chatReadable)
    {
        json.WriteStartObject();
        json.WriteStartObject("server");
        json.WriteString("agent", Handshake.Agent);
        json.WriteString("startedAt", startedAt);
        json.WriteNumber("uptimeSeconds", Math.Round((now - startedAt).TotalSeconds, 1));
        json.WriteEndObject();

        json.WriteStartObject("stream");
        json.WriteString("codec", server.CodecName);
        json.WriteString("state", server.BroadcastState ?? "on-demand");
        if (server.BroadcastInfo is { } info)
        {
            json.WriteNumber("sampleRate", info.SampleRate);
            json.WriteNumber("channels", info.Channels);
            json.WriteNumber("frameMs", Math.Round(info.FrameSamples * 1000.0 / info.SampleRate, 2));
        }

        json.WriteStartObject("http");
        json.WriteString("path", WebServer.StreamPath);
        json.WriteString("codec", "opus");
        json.WriteBoolean("transcoded", ogg.Transcoded);
        if (ogg.Failure is { } failure)
        {
            json.WriteString("failure", failure);
        }

        json.WriteEndObject();
        json.WriteEndObject();

        json.WriteStartObject("listeners");
        json.WriteStartArray("protocol");
        foreach (var listener in server.SnapshotListeners())
        {
            json.WriteStartObject();
            json.WriteString("remote", listener.Remote);
            json.WriteString("agent", listener.Agent);
            json.WriteNumber("connectedSeconds", Math.Round((now - listener.ConnectedAt).TotalSeconds, 1));
            json.WriteNumber("framesSent", listener.FramesSent);
            json.WriteNumber("bytesSent", listener.BytesSent);
            json.WriteNumber("framesDropped", listener.FramesDropped);
            if (listener.Reported is { } stats && listener.ReportedAt is { } at)
            {
                json.WriteStartObject("reported");
                json.WriteNumber("latencyMs", Math.Round(stats.LatencyUs / 1000.0, 1));
                json.WriteNumber("bufferMs", Math.Round(stats.BufferUs / 1000.0, 1));
                json.WriteNumber("targetMs", Math.Round(stats.TargetUs / 1000.0, 1));
                json.WriteNumber("underruns", stats.Underruns);
                json.WriteNumber("lost", stats.Lost);
                json.WriteNumber("late", stats.Late);
                json.WriteNumber("packets", stats.Packets);
                json.WriteNumber("ageSeconds", Math.Round((now - at).TotalSeconds, 1));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("reported");
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteStartArray("http");
        foreach (var listener in http.Snapshot())
        {
            json.WriteStartObject();
            json.WriteString("remote", listener.Remote);
            json.WriteString("userAgent", listener.UserAgent);
            json.WriteNumber("connectedSeconds", Math.Round((now - listener.ConnectedAt).TotalSeconds, 1));
            json.WriteNumber("pages", listener.Stats.Pages);
            json.WriteNumber("bytes", listener.Stats.Bytes);
            json.WriteNumber("packets", listener.Stats.Packets);
            json.WriteNumber("skipped", listener.Stats.Skipped);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();

        WriteChat(json, chatReadable);
        json.WriteEndObject();
    }

    /// <summary>
    /// The room: null when none runs here. Names and lines are peer text, neutralized by the room
    /// (<see cref="ChatLine"/>) and escaped by the JSON writer (its default encoder escapes &lt;, &gt;, &amp;, quotes):
    /// the page inserts them with textContent, never as HTML.
    /// </summary>
    private void WriteChat(Utf8JsonWriter json, bool readable)
    {
        if (chat is null)
        {
            json.WriteNull("chat");
            return;
        }

        json.WriteStartObject("chat");
        json.WriteNumber("port", chat.LocalEndPoint.Port);
        json.WriteNumber("participants", chat.Participants);
        json.WriteNumber("linesRelayed", chat.LinesRelayed);
        json.WriteBoolean("readable", readable);
        if (!readable)
        {
            json.WriteNull("members");
            json.WriteNull("recent");
            json.WriteEndObject();
            return;
        }

        json.WriteStartArray("members");
        var members = chat.Members();
        for (int i = 0; i < members.Count && i < MaxChatNames; i++)
        {
            json.WriteStringValue(members[i]);
        }

        json.WriteEndArray();
        json.WriteStartArray("recent");
        foreach (var line in chat.RecentLines(ChatLines))
        {
            json.WriteStartObject();
            json.WriteString("at", line.At);
            json.WriteString("from", line.From);
            json.WriteString("event", line.Event);
            json.WriteString("text", line.Text);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
