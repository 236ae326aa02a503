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
