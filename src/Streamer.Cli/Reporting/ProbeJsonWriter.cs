using System.Text.Json;
using Streamer.Probe;

namespace Streamer.Cli.Reporting;

/// <summary>
/// Writes probe results as a JSON array, one object per target in the order given. Field names are a contract
/// for scripts (docs/chat-and-probe.md): add fields, never rename or remove them.
/// </summary>
internal static class ProbeJsonWriter
{
    public static void Write(Stream output, IReadOnlyList<ProbeResult> results)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var result in results)
        {
            WriteResult(json, result);
        }

        json.WriteEndArray();
    }

    private static void WriteResult(Utf8JsonWriter json, ProbeResult result)
    {
        json.WriteStartObject();
        json.WriteString("target", result.Target.Text);
        json.WriteString("host", result.Target.Host);
        json.WriteNumber("port", result.Target.Port);
        json.WriteString("status", result.IsUp ? "up" : "down");
        WriteStringOrNull(json, "reason", result.IsUp ? null : result.Failure.ToText());
        WriteStringOrNull(json, "detail", result.Detail);
        WriteStringOrNull(json, "address", result.Address);
        if (result.ConnectMs is { } ms)
        {
            json.WriteNumber("connectMs", Math.Round(ms, 3));
        }
        else
        {
            json.WriteNull("connectMs");
        }

        json.WriteNumber("attempts", result.Attempts);
        if (result.Streamer is { } peer)
        {
            json.WriteStartObject("streamer");
            if (peer.Version is { } version)
            {
                json.WriteNumber("version", version);
            }
            else
            {
                json.WriteNull("version");
            }

            json.WriteString("role", peer.Role);
            json.WriteString("agent", peer.Agent);
            WriteStringOrNull(json, "error", peer.Error);
            if (peer.Rtt is { } rtt)
            {
                json.WriteStartObject("rtt");
                json.WriteNumber("sent", rtt.Sent);
                json.WriteNumber("received", rtt.Received);
                json.WriteNumber("minMs", Math.Round(rtt.MinMs, 3));
                json.WriteNumber("avgMs", Math.Round(rtt.AvgMs, 3));
                json.WriteNumber("p99Ms", Math.Round(rtt.P99Ms, 3));
                json.WriteNumber("maxMs", Math.Round(rtt.MaxMs, 3));
                json.WriteNumber("jitterMs", Math.Round(rtt.JitterMs, 3));
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("rtt");
            }

            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("streamer");
        }

        WriteStringOrNull(json, "protocolNote", result.ProtocolNote);
        json.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, value);
        }
    }
}
