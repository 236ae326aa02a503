using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Containers.Wav;

/// <summary>The file on disk is a valid WAV at every moment of writing, not only once disposed.</summary>
public sealed class WavWriterTests
{
    private static readonly AudioFormat Stereo48k = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public void The_header_is_on_disk_before_any_audio()
    {
        using var dir = new TempDirectory();
        using var writer = new WavWriter(dir.File("out.wav"), Stereo48k);

        byte[] onDisk = ReadShared(dir.File("out.wav"));
        var header = WavFixture.HeaderOf(onDisk);
        Assert.Equal(Stereo48k.SampleRate, header.Format.SampleRate);
        Assert.Equal(0, header.DataLength);
        Assert.Equal(onDisk.Length, header.DataOffset);
    }

    [Fact]
    public void While_writing_the_header_counts_exactly_the_audio_on_disk()
    {
        using var dir = new TempDirectory();
        byte[] samples = WavFixture.Samples(Stereo48k, 48000 * 2);
        using var writer = new WavWriter(dir.File("out.wav"), Stereo48k);
        for (int offset = 0; offset < samples.Length; offset += 3840)
        {
            writer.Write(samples.AsSpan(offset, 3840));
            byte[] onDisk = ReadShared(dir.File("out.wav"));
            var header = WavFixture.HeaderOf(onDisk);
            Assert.Equal(onDisk.Length - header.DataOffset, header.DataLength);
            // Never more than a quarter second behind what was handed over.
            Assert.InRange(offset + 3840 - header.DataLength, 0, Stereo48k.BytesPerSecond / 4);
            Assert.True(samples.AsSpan(0, (int)header.DataLength).SequenceEqual(onDisk.AsSpan((int)header.DataOffset)));
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
