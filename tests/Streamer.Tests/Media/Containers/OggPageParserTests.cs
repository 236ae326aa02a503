using System.Buffers;
using Streamer.Media.Containers.Ogg;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Containers;

/// <summary>The page splitter on a real Ogg Opus file from ffmpeg (20 ms pages), whole and byte by byte.</summary>
public class OggPageParserTests
{
    [Fact]
    public void An_ffmpeg_ogg_opus_file_splits_into_contiguous_pages_with_rising_granules()
    {
        byte[] ogg = FfmpegOggOpus();
        var buffer = new ReadOnlySequence<byte>(ogg);
        var pages = new List<OggPage>();
        while (OggPageParser.TryRead(ref buffer, out var page, out long skipped) != OggReadStatus.NeedMoreData)
        {
            Assert.Equal(0, skipped);
            pages.Add(page);
        }

        Assert.True(buffer.IsEmpty, $"{buffer.Length} bytes left over");
        Assert.Equal(ogg.Length, pages.Sum(p => p.Length));
        Assert.True(pages[0].BeginsStream);
        Assert.All(pages, p => Assert.Equal(pages[0].Serial, p.Serial));
        Assert.Equal(Enumerable.Range(0, pages.Count).Select(i => (uint)i), pages.Select(p => p.Sequence));
        // OpusHead, OpusTags, then ~50 audio pages for a second at 20 ms per page.
        var audio = pages.Skip(2).ToList();
        Assert.InRange(audio.Count, 45, 56);
        Assert.True(audio.Zip(audio.Skip(1)).All(p => p.Second.GranulePosition > p.First.GranulePosition));
    }

    [Fact]
    public void Bytes_before_the_capture_pattern_are_skipped_and_a_partial_page_waits()
    {
        byte[] ogg = FfmpegOggOpus();
        byte[] noisy = [.. "junk OggX O"u8.ToArray(), .. ogg[..100]];
        var buffer = new ReadOnlySequence<byte>(noisy);
        long skippedTotal = 0;
        OggReadStatus status;
        while ((status = OggPageParser.TryRead(ref buffer, out _, out long skipped)) == OggReadStatus.Skipped)
        {
            skippedTotal += skipped;
        }

        Assert.Equal(11, skippedTotal);
        // The first page (OpusHead, 47 bytes) is whole; the second is cut at byte 100.
        Assert.Equal(OggReadStatus.Page, status);
        Assert.Equal(OggReadStatus.NeedMoreData, OggPageParser.TryRead(ref buffer, out _, out _));
        Assert.Equal(100 - 47, buffer.Length);
    }

    [Fact]
    public void Split_at_every_byte_the_pages_and_their_bytes_are_the_same()
    {
        byte[] ogg = FfmpegOggOpus()[..6000];
        var whole = Pages(new ReadOnlySequence<byte>(ogg));
        Assert.True(whole.Count >= 10);
        for (int cut = 1; cut < ogg.Length; cut++)
        {
            var split = Pages(Segments.Split(ogg, cut));
            Assert.Equal(whole.Count, split.Count);
            for (int i = 0; i < whole.Count; i++)
            {
                Assert.Equal(whole[i].Sequence, split[i].Sequence);
                Assert.Equal(whole[i].Bytes, split[i].Bytes);
            }
        }

        var bytewise = Pages(Segments.OneBytePerSegment(ogg));
        Assert.Equal(whole.Select(p => p.Bytes.Length), bytewise.Select(p => p.Bytes.Length));
    }

    [Fact]
    public void A_page_with_a_damaged_byte_fails_its_crc_and_is_skipped_up_to_the_next_page()
    {
        byte[] ogg = FfmpegOggOpus()[..3000];
        var pages = Pages(new ReadOnlySequence<byte>(ogg));
        byte[] damaged = (byte[])ogg.Clone();
        // A byte in the third page's body.
        int third = pages[0].Bytes.Length + pages[1].Bytes.Length;
        damaged[third + 40] ^= 0x5A;
        var buffer = new ReadOnlySequence<byte>(damaged);
        var read = new List<uint>();
        long skipped = 0;
        OggReadStatus status;
        while ((status = OggPageParser.TryRead(ref buffer, out var page, out _, out long dropped)) != OggReadStatus.NeedMoreData)
        {
            skipped += dropped;
            if (status == OggReadStatus.Page)
            {
                read.Add(page.Sequence);
            }
        }

        Assert.Equal([0u, 1u, 3u], read.Take(3));
        Assert.Equal(pages[2].Bytes.Length, skipped);
    }

    private static List<(uint Sequence, byte[] Bytes)> Pages(ReadOnlySequence<byte> buffer)
    {
        var pages = new List<(uint, byte[])>();
        OggReadStatus status;
        while ((status = OggPageParser.TryRead(ref buffer, out var page, out var bytes, out _)) != OggReadStatus.NeedMoreData)
        {
            Assert.Equal(OggReadStatus.Page, status);
            Assert.Equal(page.Length, bytes.Length);
            pages.Add((page.Sequence, bytes.ToArray()));
        }

        return pages;
    }

    private static byte[] FfmpegOggOpus()
    {
        Assert.True(ExternalTool.Exists("ffmpeg"), "ffmpeg is not installed (Debian package ffmpeg)");
        using var dir = new TempDirectory();
        string path = dir.File("tone.opus");
        var (code, _, stderr) = ExternalTool.Run(
            "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=1",
            "-ac", "2", "-c:a", "libopus", "-b:a", "64k", "-frame_duration", "20", "-page_duration", "20000", "-f", "ogg", path);
        Assert.True(code == 0, $"ffmpeg exit {code}: {stderr}");
        return File.ReadAllBytes(path);
    }
}
