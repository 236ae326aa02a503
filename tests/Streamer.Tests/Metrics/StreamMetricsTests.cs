using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Streaming.Metrics;
using Streamer.Streaming.Receive;
using Streamer.Streaming.Send;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;
using Streamer.Transport;
using Streamer.Transport.Sockets;

namespace Streamer.Tests.Metrics;

/// <summary>
/// The instruments of docs/metrics.md exist with their units and kinds, and a real loopback stream (server on a TCP
/// socket, frames 30, 31 and 60 left out on the way, client playing through the jitter buffer into a real-time output)
/// and a real chat move them, seen through a <see cref="MeterListener"/> as dotnet-counters and OpenTelemetry see them.
/// </summary>
public sealed class StreamMetricsTests
{
    /// <summary>docs/metrics.md's table: name → (unit, instrument kind).</summary>
    public static readonly Dictionary<string, (string Unit, string Kind)> Documented = new()
    {
        ["streamer.server.connections"] = ("{connection}", "Counter"),
        ["streamer.server.active_listeners"] = ("{listener}", "UpDownCounter"),
        ["streamer.server.frames.sent"] = ("{frame}", "Counter"),
        ["streamer.server.bytes.sent"] = ("By", "Counter"),
        ["streamer.server.frames.skipped"] = ("{frame}", "Counter"),
        ["streamer.server.encode.duration"] = ("s", "Histogram"),
        ["streamer.client.active_streams"] = ("{stream}", "UpDownCounter"),
        ["streamer.client.frames.received"] = ("{frame}", "ObservableCounter"),
        ["streamer.client.bytes.received"] = ("By", "ObservableCounter"),
        ["streamer.client.frames.lost"] = ("{frame}", "ObservableCounter"),
        ["streamer.client.frames.late"] = ("{frame}", "ObservableCounter"),
        ["streamer.client.frames.concealed"] = ("{frame}", "ObservableCounter"),
        ["streamer.client.underruns"] = ("{underrun}", "ObservableCounter"),
        ["streamer.client.jitter_buffer.depth"] = ("s", "ObservableGauge"),
        ["streamer.client.jitter_buffer.target"] = ("s", "ObservableGauge"),
        ["streamer.client.latency"] = ("s", "Histogram"),
        ["streamer.chat.connections"] = ("{connection}", "Counter"),
        ["streamer.chat.active_participants"] = ("{participant}", "UpDownCounter"),
        ["streamer.chat.messages.received"] = ("{message}", "Counter"),
        ["streamer.chat.frames.sent"] = ("{frame}", "Counter"),
        ["streamer.chat.participants.dropped"] = ("{participant}", "Counter"),
    };

    [Fact]
    public void Every_documented_instrument_exists_with_its_unit_and_kind()
    {
        using var recorder = new MeterRecorder();
        // The instruments are made when their class is first used: make them all now.
        RuntimeHelpers.RunClassConstructor(typeof(ServerMetrics).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(ClientMetrics).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(ChatMetrics).TypeHandle);
        RuntimeHelpers.RunClassConstructor(typeof(PlaybackStats).Assembly.GetType("Streamer.Media.Playout.PlayoutMetrics", throwOnError: true)!.TypeHandle);

        var listed = recorder.Instruments.ToDictionary(i => i.Key, i => (i.Value.Unit ?? string.Empty, Kind(i.Value)));
        Assert.Equal(Documented.OrderBy(p => p.Key), listed.OrderBy(p => p.Key));
        Assert.All(recorder.Instruments.Values, i => Assert.False(string.IsNullOrWhiteSpace(i.Description), i.Name));
    }

    [Fact]
    public async Task A_loopback_stream_and_a_chat_move_the_instruments()
    {
        using var recorder = new MeterRecorder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var format = new AudioFormat(48000, 2, SampleEncoding.Int16);
        byte[] wav = CodecTestAudio.Wav(format, CodecTestAudio.TwoTone(2));
        var factory = new FrameSourceFactory(ct => WavFileSource.OpenAsync(new MemoryStream(wav), "two-tone", ct), CodecRegistry.Default.Get("opus"), new CodecOptions());
        var policy = new LossPolicy(drop: new HashSet<uint> { 30, 31, 60 });
        var options = new StreamServerOptions { Pacing = PacingMode.Realtime };
        var listener = new LossyListener(new SocketListener("127.0.0.1", 0, 16, options.Connection, NullLogger.Instance), policy);
        await using var server = new StreamServer(listener, factory, options, NullLoggerFactory.Instance);
        using var stopServer = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var serving = server.RunAsync(stopServer.Token);

        var client = new StreamClient(
            new StreamClientOptions { CreateSink = chain => chain.Decode(_ => new PacedNullOutput(10), new JitterBufferOptions()) },
            NullLogger.Instance);
        var stream = new ReceivedStream();
        var playing = client.RunAsync(new HostPort("127.0.0.1", ((System.Net.IPEndPoint)listener.EndPoint).Port), stream, timeout.Token);
        // While it plays: the gauges have a stream to show, and the listener counts as active. (Frames late in the stream
        // are the ones left out: a loaded machine may make the server skip its first ones, which is no gap to a client.)
        while (!playing.IsCompleted)
        {
            recorder.Observe();
            await Task.WhenAny(playing, Task.Delay(50, timeout.Token));
        }

        await playing;
        await stopServer.CancelAsync();
        await serving;
        recorder.Observe();

        Assert.True(stream.Ended);
        Assert.True(recorder.Sum("streamer.server.connections") >= 1);
        Assert.True(recorder.Largest("streamer.server.active_listeners") >= 1);
        Assert.True(recorder.Sum("streamer.server.frames.sent") >= stream.Stats.Packets, $"the server counts every frame it sent: {recorder.Sum("streamer.server.frames.sent")} sent, {stream.Stats.Packets} received, {stream.Stats.Lost} lost");
        Assert.True(recorder.Sum("streamer.server.bytes.sent") >= stream.Stats.Bytes);
        Assert.True(recorder.Counts.GetValueOrDefault("streamer.server.encode.duration") >= 100, "an encode time per Opus frame");
        Assert.InRange(recorder.Largest("streamer.server.encode.duration"), 1e-7, 1.0);

        Assert.True(recorder.Largest("streamer.client.active_streams") >= 1);
        Assert.True(recorder.Largest("streamer.client.frames.received") >= stream.Stats.Packets);
        Assert.True(recorder.Largest("streamer.client.bytes.received") >= stream.Stats.Bytes);
        string figures = $"stats: {stream.Stats.Packets} received, {stream.Stats.Lost} lost, {stream.Stats.Concealed} concealed; dropped on the way: {string.Join(' ', policy.Dropped)}; observed lost {recorder.Largest("streamer.client.frames.lost")}, concealed {recorder.Largest("streamer.client.frames.concealed")}, sent {recorder.Sum("streamer.server.frames.sent")}, skipped {recorder.Sum("streamer.server.frames.skipped")}";
        Assert.True(recorder.Largest("streamer.client.frames.lost") >= stream.Stats.Lost && stream.Stats.Lost >= 3, figures);
        Assert.True(recorder.Largest("streamer.client.frames.concealed") >= stream.Stats.Concealed && stream.Stats.Concealed >= 3, figures);
        Assert.True(recorder.Largest("streamer.client.jitter_buffer.target") > 0.005, "a target of several ms, in seconds");
        Assert.True(recorder.Largest("streamer.client.jitter_buffer.depth") > 0.005);
        Assert.True(recorder.Counts.GetValueOrDefault("streamer.client.latency") >= 50, "a latency per frame played");
        Assert.InRange(recorder.Largest("streamer.client.latency"), 1e-5, 5.0);
        Assert.True(recorder.Instruments.ContainsKey("streamer.client.frames.late") && recorder.Instruments.ContainsKey("streamer.client.underruns"));

        await using var room = new ChatServer("127.0.0.1", 0, new ChatServerOptions(), NullLoggerFactory.Instance);
        using var stopChat = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var chatting = room.RunAsync(stopChat.Token);
        var place = new HostPort("127.0.0.1", room.LocalEndPoint.Port);
        await using (var alice = await ChatClient.ConnectAsync(place, "alice", NullLogger.Instance, timeout.Token))
        await using (var bob = await ChatClient.ConnectAsync(place, "bob", NullLogger.Instance, timeout.Token))
        {
            Assert.True(await alice.SendAsync("hello bob", timeout.Token));
            ChatMessage? heard;
            do
            {
                heard = await bob.ReceiveAsync(timeout.Token);
            }
            while (heard is not null && heard.Text != "hello bob");

            Assert.NotNull(heard);
            Assert.True(recorder.Counts.GetValueOrDefault("streamer.chat.active_participants") >= 2, "a +1 for each of them");
        }

        await stopChat.CancelAsync();
        await chatting;
        Assert.True(recorder.Sum("streamer.chat.connections") >= 2);
        Assert.True(recorder.Sum("streamer.chat.messages.received") >= 1);
        Assert.True(recorder.Sum("streamer.chat.frames.sent") >= 3, "welcomes, a join and the message");
    }

    private static string Kind(Instrument instrument)
    {
        string name = instrument.GetType().Name;
        return name[..name.IndexOf('`', StringComparison.Ordinal)];
    }
}
