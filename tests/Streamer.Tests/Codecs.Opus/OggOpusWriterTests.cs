using Streamer.Codecs.Opus;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Ogg;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Outputs;
using Streamer.Protocol;
using Streamer.Streaming;
using Streamer.Tests.Media.Codecs;
using Streamer.Tests.Support;

namespace Streamer.Tests.Codecs.Opus;

public class OggOpusWriterTests
{
    [Fact]
    public void The_page_crc_is_the_unreflected_0x04C11DB7_crc_without_final_xor()
    {
        // CRC-32/CKSUM's check value for "123456789" is 0x765E7680 after its final xor; Ogg has no final xor.
        Assert.Equal(~0x765E7680u, OggCrc.Compute("123456789"u8));
    }

    [Fact]
    public async Task A_recording_passes_opusinfo_and_opusdec_returns_the_source_duration()
    {
        using var temp = new TempDirectory();
        string path = temp.File("rec.opus");
        long packets = await RecordAsync(path, seconds: 3, sampleRate: 48000);

        var info = ExternalTool.Run("opusinfo", path);
        Assert.Equal(0, info.ExitCode);
        Assert.DoesNotContain("WARNING", info.Stdout + info.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("error", info.Stdout + info.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Pre-skip: 312", info.Stdout, StringComparison.Ordinal);

        var sizes = OggPacketReader.PacketSizes(await File.ReadAllBytesAsync(path));
        Assert.Equal(packets + 2, sizes.Count);

        string decoded = temp.File("dec.wav");
        var dec = ExternalTool.Run("opusdec", "--quiet", path, decoded);
        Assert.Equal(0, dec.ExitCode);
        await using var wav = await WavFile.OpenAsync(decoded);
        Assert.Equal(48000, wav.Format.SampleRate);
        Assert.Equal(3 * 48000, wav.Header.DataLength / wav.Format.BlockAlign);

        var probe = ExternalTool.Run("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,sample_rate,channels", "-of", "default=nw=1", path);
        Assert.Equal(0, probe.ExitCode);
        Assert.Equal(string.Empty, probe.Stderr.Trim());
        Assert.Contains("codec_name=opus", probe.Stdout, StringComparison.Ordinal);
        Assert.Contains("channels=2", probe.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_original_rate_is_kept_in_the_header_and_opusdec_restores_it()
    {
        using var temp = new TempDirectory();
        string path = temp.File("rec44.opus");
        await RecordAsync(path, seconds: 2, sampleRate: 44100);

        var info = ExternalTool.Run("opusinfo", path);
        Assert.Contains("Original sample rate: 44100 Hz", info.Stdout, StringComparison.Ordinal);
        string decoded = temp.File("dec44.wav");
        Assert.Equal(0, ExternalTool.Run("opusdec", "--quiet", path, decoded).ExitCode);
        await using var wav = await WavFile.OpenAsync(decoded);
        Assert.Equal(44100, wav.Format.SampleRate);
        Assert.Equal(2 * 44100, wav.Header.DataLength / wav.Format.BlockAlign);
    }

    [Fact]
    public void A_non_opus_stream_is_refused_and_no_file_is_made()
    {
        using var temp = new TempDirectory();
        string path = temp.File("pcm.opus");
        var info = new StreamInfoMessage("pcm", 48000, 2, "s16le", 960, 0, -1, new Dictionary<string, string>());
        var error = Assert.Throws<CodecException>(() => new OggOpusOutput(path, info));
        Assert.Contains("pcm", error.Message, StringComparison.Ordinal);
        Assert.Contains("--codec opus", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Packets_that_are_not_opus_are_left_out()
    {
        using var temp = new TempDirectory();
        var info = new StreamInfoMessage("opus", 48000, 1, "s16le", 960, 0, -1, new Dictionary<string, string> { ["pre-skip"] = "312" });
        var output = new OggOpusOutput(temp.File("bad.opus"), info);
        await output.WriteAsync(Packet(new System.Buffers.ReadOnlySequence<byte>([])), CancellationToken.None);
        await output.WriteAsync(Packet(new System.Buffers.ReadOnlySequence<byte>(new byte[10_000])), CancellationToken.None);
        await output.DisposeAsync();
        Assert.Equal(0, output.Packets);
        Assert.Equal(2, output.Rejected);
        var file = await File.ReadAllBytesAsync(temp.File("bad.opus"));
        Assert.Equal(2, OggPacketReader.PacketSizes(file).Count);
        Assert.Equal(0, OggPacketReader.LastGranule(file));
    }

    private static async Task<long> RecordAsync(string path, double seconds, int sampleRate)
    {
        byte[] samples = CodecTestAudio.TwoTone(seconds, sampleRate);
        var format = new AudioFormat(sampleRate, 2, SampleEncoding.Int16);
        var factory = new Streamer.Streaming.Send.FrameSourceFactory(ct => Streamer.Media.Sources.WavFileSource.OpenAsync(new MemoryStream(CodecTestAudio.Wav(format, samples)), "t", ct), CodecRegistry.Default.Get("opus"), new CodecOptions());
        await using var source = await factory.OpenAsync(CancellationToken.None);
        var output = new OggOpusOutput(path, source.Info);
        await using (output)
        {
            while (await source.MoveNextAsync(CancellationToken.None))
            {
                await output.WriteAsync(Packet(source.Current), CancellationToken.None);
            }
        }

        return output.Packets;
    }

    private static ReceivedPacket Packet(System.Buffers.ReadOnlySequence<byte> payload) => new(0, 0, 0, payload, 0);
}
