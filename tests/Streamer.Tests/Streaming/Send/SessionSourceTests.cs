using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Sources;
using Streamer.Protocol;
using Streamer.Streaming.Send;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Send;

/// <summary>A real server streaming from a source that is not a WAV file: what a new source needs from the sender.</summary>
public sealed class SessionSourceTests
{
    private static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_session_sends_the_sources_pcm_bit_exact_and_counts_what_it_sent()
    {
        byte[] samples = WavFixture.Samples(Stereo48, 4800 + 100);
        var factory = new FrameSourceFactory(_ => Task.FromResult<IAudioSource>(new MemorySource(Stereo48, samples)), new PcmCodec(), new CodecOptions { FrameMilliseconds = 5 });
        await using var server = new StreamServer("127.0.0.1", 0, factory, new StreamServerOptions(), NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(stop.Token);
        try
        {
            using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint.Port);
            await peer.SendAsync(RawPeer.Hello());
            var frames = RawPeer.Frames(await peer.ReadToEndAsync(Timeout));

            var info = StreamInfoMessage.Read(new(frames.Single(f => f.Header.Kind == FrameKind.StreamInfo).Payload));
            Assert.Equal(4900, info.TotalSamples);
            Assert.Equal(240, info.FrameSamples);
            var audio = frames.Where(f => f.Header.Kind == FrameKind.Audio).ToList();
            Assert.Equal(21, audio.Count);
            Assert.Equal(Enumerable.Range(0, 21).Select(i => (uint)i), audio.Select(f => f.Header.Sequence));
            Assert.Equal(Enumerable.Range(0, 21).Select(i => (ulong)i * 240), audio.Select(f => f.Header.Timestamp));
            Assert.Equal(100 * Stereo48.BlockAlign, audio[^1].Payload.Length);
            Assert.Equal(samples, audio.SelectMany(f => f.Payload).ToArray());
            var end = EndOfStreamMessage.Read(new(frames[^1].Payload));
            Assert.Equal(new EndOfStreamMessage(21, 4900, 21), end);
        }
        finally
        {
            await stop.CancelAsync();
            await serving.WaitAsync(Timeout);
        }
    }

    [Fact]
    public async Task Looping_opens_a_fresh_source_per_pass_and_announces_no_length()
    {
        byte[] samples = WavFixture.Samples(Stereo48, 3 * 480);
        var opened = new List<MemorySource>();
        var factory = new FrameSourceFactory(
            _ =>
            {
                var source = new MemorySource(Stereo48, samples);
                lock (opened)
                {
                    opened.Add(source);
                }

                return Task.FromResult<IAudioSource>(source);
            },
            new PcmCodec(),
            new CodecOptions { FrameMilliseconds = 10 });
        await using var server = new StreamServer("127.0.0.1", 0, factory, new StreamServerOptions { Loop = true }, NullLoggerFactory.Instance);
        using var stop = new CancellationTokenSource();
        var serving = server.RunAsync(stop.Token);
        try
        {
            using var peer = await RawPeer.ConnectAsync(server.LocalEndPoint.Port);
            await peer.SendAsync(RawPeer.Hello());
            var frames = await ReadFramesAsync(peer, 2 + 8); // our hello, the stream info, 8 frames

            Assert.Equal(-1, StreamInfoMessage.Read(new(frames.Single(f => f.Header.Kind == FrameKind.StreamInfo).Payload)).TotalSamples);
            var audio = frames.Where(f => f.Header.Kind == FrameKind.Audio).Take(8).ToList();
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (uint)i), audio.Select(f => f.Header.Sequence));
            Assert.Equal(Enumerable.Range(0, 8).Select(i => (ulong)i * 480), audio.Select(f => f.Header.Timestamp));
            for (int i = 0; i < 8; i++)
            {
                Assert.Equal(samples.AsSpan(i % 3 * 480 * 4, 480 * 4).ToArray(), audio[i].Payload);
            }

            lock (opened)
            {
                Assert.True(opened.Count >= 3, "every pass starts from a fresh source");
                Assert.All(opened.Take(2), s => Assert.True(s.Disposed, "a finished pass disposes its source"));
            }
        }
        finally
        {
            await stop.CancelAsync();
            await serving.WaitAsync(Timeout);
        }
    }

    private static async Task<List<(FrameHeader Header, byte[] Payload)>> ReadFramesAsync(RawPeer peer, int count)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var all = new MemoryStream();
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var frames = RawPeer.Frames(all.ToArray());
            if (frames.Count >= count)
            {
                return frames;
            }

            int n = await peer.Stream.ReadAsync(buffer, cts.Token);
            Assert.NotEqual(0, n);
            all.Write(buffer, 0, n);
        }
    }
}
