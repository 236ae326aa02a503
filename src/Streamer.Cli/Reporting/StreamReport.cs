using System.Globalization;
using System.Text.Json;
using Streamer.Protocol;
using Streamer.Streaming.Receive;

namespace Streamer.Cli.Reporting;

/// <summary>The end-of-stream summary, as text for people and JSON for scripts (<c>--stats FILE.json</c>).</summary>
internal static class StreamReport
{
    public static string Summary(ReceivedStream stream, TimeSpan elapsed)
    {
        var stats = stream.Stats;
        var info = stream.Info;
        string what = info is null ? "no stream" : string.Create(CultureInfo.InvariantCulture, $"{(double)stats.SamplesPlayed / info.SampleRate:0.00} s of {PeerText.ForDisplay(info.Codec)} {info.SampleRate} Hz {info.Channels} ch {PeerText.ForDisplay(info.SampleFormat)}");
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{what} in {elapsed.TotalSeconds:0.00} s: {stats.Packets} packets, {stats.Bytes} bytes, {stats.Lost} lost, {stats.Late} late, {stats.Concealed} concealed, {stats.Underruns} underruns; latency p50 {stats.Latency.Percentile(50):0.0} ms, p99 {stats.Latency.Percentile(99):0.0} ms, max {stats.Latency.MaxMilliseconds:0.0} ms; clock offset {stats.ClockOffset.OffsetMicroseconds / 1000.0:0.0} ms");
    }

    public static void WriteJson(string path, ReceivedStream stream, TimeSpan elapsed, bool completed)
    {
        using var file = File.Create(path);
        using var json = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
        var stats = stream.Stats;
        json.WriteStartObject();
        json.WriteBoolean("completed", completed);
        json.WriteNumber("elapsedSeconds", Math.Round(elapsed.TotalSeconds, 3));
        if (stream.Info is { } info)
        {
            json.WriteString("codec", info.Codec);
            json.WriteNumber("sampleRate", info.SampleRate);
            json.WriteNumber("channels", info.Channels);
            json.WriteString("sampleFormat", info.SampleFormat);
            json.WriteNumber("audioSeconds", Math.Round((double)stats.SamplesPlayed / info.SampleRate, 3));
        }

        json.WriteNumber("packets", stats.Packets);
        json.WriteNumber("bytes", stats.Bytes);
        json.WriteNumber("lost", stats.Lost);
        json.WriteNumber("late", stats.Late);
        json.WriteNumber("underruns", stats.Underruns);
        json.WriteNumber("concealed", stats.Concealed);
        json.WriteNumber("samplesPlayed", stats.SamplesPlayed);
        if (stream.Buffer is { } buffer)
        {
            json.WriteNumber("bufferTargetMs", Math.Round(buffer.TargetMilliseconds, 1));
            json.WriteNumber("bufferDepthMs", Math.Round(buffer.DepthMilliseconds, 1));
            json.WriteString("jitterMode", buffer.Strategy);
            json.WriteNumber("jitterMs", Math.Round(buffer.JitterMilliseconds, 1));
            json.WriteNumber("driftPpm", Math.Round(buffer.DriftPpm, 1));
        }

        json.WriteStartObject("latencyMs");
        json.WriteNumber("p50", Math.Round(stats.Latency.Percentile(50), 2));
        json.WriteNumber("p99", Math.Round(stats.Latency.Percentile(99), 2));
        json.WriteNumber("max", Math.Round(stats.Latency.MaxMilliseconds, 2));
        json.WriteEndObject();
        json.WriteNumber("clockOffsetMs", Math.Round(stats.ClockOffset.OffsetMicroseconds / 1000.0, 3));
        json.WriteNumber("roundTripMs", Math.Round(stats.ClockOffset.RoundTripMicroseconds / 1000.0, 3));
        json.WriteEndObject();
    }
}
