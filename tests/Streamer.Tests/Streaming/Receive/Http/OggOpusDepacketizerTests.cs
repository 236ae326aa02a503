using System.Buffers;
using Streamer.Media.Containers.Ogg;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Streaming.Receive.Http;
using Streamer.Tests.Support;

namespace Streamer.Tests.Streaming.Receive.Http;

/// <summary>How an Ogg Opus HTTP stream's packets are numbered, and loss and lateness counted, from page numbers and granules.</summary>
public class OggOpusDepacketizerTests
{
    [Fact]
    public async Task Every_packet_of_a_file_comes_out_once_in_order_with_its_media_time()
    {
        // 1 s pages: most packets share pages, and the tags header ends its own page.
        var pages = FfmpegPages(pageMs: 1000);
        int expected = OggPacketReader.PacketSizes(pages.SelectMany(p => p).ToArray()).Count - 2;
        var (packets, stats, _) = await RunAsync(pages, _ => true);
        Assert.InRange(expected, 150, 152);
        Assert.Equal(expected, packets.Count);
        Assert.Equal(Enumerable.Range(0, packets.Count).Select(i => (uint)i), packets.Select(p => p.Sequence));
        Assert.Equal(Enumerable.Range(0, packets.Count).Select(i => (ulong)(i * 960)), packets.Select(p => p.Timestamp));
        Assert.Equal(0, stats.Lost);
        Assert.Equal(0, stats.Late);
    }

    [Fact]
    public async Task A_missing_page_counts_its_packets_lost_before_the_next_one()
    {
        // 20 ms pages: page 2 is OpusHead+OpusTags+audio page 0; dropping audio page 10 loses one packet.
        var pages = FfmpegPages(pageMs: 20);
        var (packets, stats, _) = await RunAsync(pages, i => i != 12);
        Assert.Equal(1, stats.Lost);
        var after = packets.Single(p => p.LostBefore > 0);
        Assert.Equal(1u, after.LostBefore);
        Assert.Equal(11u, after.Sequence);
        Assert.Equal(11UL * 960, after.Timestamp);
    }

    [Fact]
    public async Task A_repeated_page_counts_its_packets_late_and_drops_them()
    {
        var pages = FfmpegPages(pageMs: 20);
        var repeated = pages.Take(20).Append(pages[15]).Concat(pages.Skip(20)).ToList();
        var (packets, stats, _) = await RunAsync(repeated, _ => true);
        Assert.Equal(1, stats.Late);
        Assert.Equal(0, stats.Lost);
        Assert.Equal(pages.Count - 2, packets.Count);
    }

    private static async Task<(List<(uint Sequence, ulong Timestamp, uint LostBefore)> Packets, PlaybackStats Stats, OggOpusDepacketizer Depacketizer)> RunAsync(List<byte[]> pages, Func<int, bool> keep)
    {
        var stats = new PlaybackStats();
        var sink = new RecordingSink();
        var depacketizer = new OggOpusDepacketizer((head, frameSamples, first) =>
        {
            Assert.Equal(2, head.Channels);
            Assert.Equal(960, frameSamples);
            return sink;
        }, stats);
        for (int i = 0; i < pages.Count; i++)
        {
            if (!keep(i))
            {
                continue;
            }

            var buffer = new ReadOnlySequence<byte>(pages[i]);
            Assert.Equal(OggReadStatus.Page, OggPageParser.TryRead(ref buffer, out var page, out var bytes, out _));
            await depacketizer.AcceptAsync(page, bytes, 0, CancellationToken.None);
        }

        depacketizer.Release();
        return (sink.Packets, stats, depacketizer);
    }

    /// <summary>Three seconds of ffmpeg Ogg Opus (20 ms packets) in pages of <paramref name="pageMs"/>, one byte[] per page.</summary>
    private static List<byte[]> FfmpegPages(int pageMs)
    {
        Assert.True(ExternalTool.Exists("ffmpeg"), "ffmpeg is not installed (Debian package ffmpeg)");
        using var dir = new TempDirectory();
        string path = dir.File("tone.opus");
        var (code, _, stderr) = ExternalTool.Run(
            "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3",
            "-ac", "2", "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", "-page_duration", (pageMs * 1000).ToString(System.Globalization.CultureInfo.InvariantCulture), "-f", "ogg", path);
        Assert.True(code == 0, $"ffmpeg exit {code}: {stderr}");
        var buffer = new ReadOnlySequence<byte>(File.ReadAllBytes(path));
        var pages = new List<byte[]>();
        while (OggPageParser.TryRead(ref buffer, out _, out var bytes, out _) == OggReadStatus.Page)
        {
            pages.Add(bytes.ToArray());
        }

        return pages;
    }

    private sealed class RecordingSink : IPacketSink
    {
        public List<(uint Sequence, ulong Timestamp, uint LostBefore)> Packets { get; } = [];

        public ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
        {
            Assert.True(packet.Payload.Length > 0);
            Packets.Add((packet.Sequence, packet.Timestamp, packet.LostBefore));
            return ValueTask.CompletedTask;
        }

        public ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
