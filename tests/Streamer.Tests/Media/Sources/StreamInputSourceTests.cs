using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Media.Sources.Live;
using Streamer.Tests.Probe;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Sources;

/// <summary>A WAV stream of unknown length and raw PCM, as standard input delivers them: bit-exact, to the end of the input.</summary>
public sealed class StreamInputSourceTests
{
    private static readonly AudioFormat Stereo16 = new(48000, 2, SampleEncoding.Int16);

    public static TheoryData<uint> Placeholders => new() { 0u, 0xFFFFFFFFu, 0x7FFFF000u, 10_000_000u };

    [Theory]
    [MemberData(nameof(Placeholders))]
    public async Task A_piped_wav_whose_declared_length_is_a_placeholder_or_too_large_streams_to_the_end_bit_exact(uint declared)
    {
        byte[] samples = WavFixture.Samples(Stereo16, 5000);
        var pipe = new Pipe();
        var writing = WriteInPiecesAsync(pipe.Writer, WavFixture.Build(Stereo16, samples, declaredDataSize: declared));

        await using var source = await StreamInputSource.OpenWavAsync(pipe.Reader, "stdin", InputPacing.Unpaced, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(Stereo16, source.Format);
        Assert.Null(source.TotalFrames);
        var blocks = await ReadAllAsync(source, 960);
        await writing;

        Assert.Equal([960, 960, 960, 960, 960, 200], blocks.Select(b => b.Length / Stereo16.BlockAlign));
        Assert.Equal(samples, blocks.SelectMany(b => b).ToArray());
    }

    [Fact]
    public async Task A_declared_length_shorter_than_the_stream_ends_the_data_there()
    {
        byte[] samples = WavFixture.Samples(Stereo16, 1000);
        byte[] wav = [.. WavFixture.Build(Stereo16, samples), .. "LIST\x04\0\0\0abcd"u8.ToArray()];
        var pipe = new Pipe();
        var writing = WriteInPiecesAsync(pipe.Writer, wav);

        await using var source = await StreamInputSource.OpenWavAsync(pipe.Reader, "stdin", InputPacing.Unpaced, NullLogger.Instance, CancellationToken.None);
        var blocks = await ReadAllAsync(source, 480);
        await writing;

        Assert.Equal(samples, blocks.SelectMany(b => b).ToArray());
    }

    public static TheoryData<string, int> RawLayouts => new()
    {
        { nameof(SampleEncoding.Int16), 2 },
        { nameof(SampleEncoding.Int24), 2 },
        { nameof(SampleEncoding.Int32), 1 },
        { nameof(SampleEncoding.Float32), 6 },
    };

    [Theory]
    [MemberData(nameof(RawLayouts))]
    public async Task Raw_pcm_is_read_bit_exact_in_whole_frames_and_a_partial_last_frame_is_dropped_with_a_warning(string encoding, int channels)
    {
        var format = new AudioFormat(48000, channels, Enum.Parse<SampleEncoding>(encoding));
        byte[] samples = WavFixture.Samples(format, 3000);
        var logged = new ConcurrentQueue<(int Id, string Text)>();
        var pipe = new Pipe();
        var writing = WriteInPiecesAsync(pipe.Writer, [.. samples, 1, 2, 3]);

        await using var source = StreamInputSource.OpenRaw(pipe.Reader, format, "stdin", InputPacing.Unpaced, new CallbackLogger((id, text) => logged.Enqueue((id.Id, text))));
        var blocks = await ReadAllAsync(source, 1000);
        await writing;

        Assert.Equal([1000, 1000, 1000], blocks.Select(b => b.Length / format.BlockAlign));
        Assert.Equal(samples, blocks.SelectMany(b => b).ToArray());
        var warning = Assert.Single(logged);
        Assert.Equal(740, warning.Id);
        Assert.Equal($"stdin: the data ended with a partial sample frame (3 of {format.BlockAlign} bytes); it was dropped", warning.Text);
    }

    public static TheoryData<byte[], string> BadHeaders => new()
    {
        { [], "stdin: file is empty or shorter than a RIFF header" },
        { "RIFF\0\0\0\0WA"u8.ToArray(), "stdin: file is empty or shorter than a RIFF header" },
        { "ID3\x03 this is an mp3"u8.ToArray(), "stdin: not a RIFF/WAVE file (no RIFF signature)" },
        { WavFixture.Build(Stereo16, [])[..30], "stdin: truncated fmt chunk" },
    };

    [Theory]
    [MemberData(nameof(BadHeaders))]
    public async Task A_stream_that_is_not_wav_or_ends_inside_the_header_is_one_line_naming_it(byte[] bytes, string message)
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(bytes);
        await pipe.Writer.CompleteAsync();

        var error = await Assert.ThrowsAsync<InvalidWavException>(() => StreamInputSource.OpenWavAsync(pipe.Reader, "stdin", InputPacing.Unpaced, NullLogger.Instance, CancellationToken.None));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public async Task A_paced_input_hands_out_no_more_than_real_time_plus_the_lead()
    {
        var clock = new ManualTimeProvider();
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        byte[] samples = WavFixture.Samples(Stereo16, 48000);
        await pipe.Writer.WriteAsync(samples);   // a writer far ahead of real time (sox from a file)
        await using var source = StreamInputSource.OpenRaw(pipe.Reader, Stereo16, "stdin", new InputPacing(true, TimeSpan.FromMilliseconds(100), clock), NullLogger.Instance);

        // 100 ms of lead: five 20 ms blocks at once, then the sixth waits for the clock.
        for (int i = 0; i < 5; i++)
        {
            Assert.True(source.ReadAsync(960, CancellationToken.None).IsCompleted, $"block {i} waited");
        }

        var sixth = source.ReadAsync(960, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(sixth.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        Assert.Equal(960 * 4, (await sixth.WaitAsync(TimeSpan.FromSeconds(10))).Length);
    }

    [Fact]
    public void The_pacer_banks_no_more_than_the_lead_across_a_stall()
    {
        var clock = new ManualTimeProvider();
        using var pacer = new RealTimePacer(48000, TimeSpan.FromMilliseconds(100), clock);
        Assert.True(pacer.DeliverAsync(4800, CancellationToken.None).IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(10));   // the writer stalled for 10 s
        int immediate = 0;
        while (pacer.DeliverAsync(960, CancellationToken.None) is { IsCompleted: true })
        {
            immediate++;
        }

        // After a stall: the lead it had plus the lead it banked (100 + 100 ms), not 10 s.
        Assert.Equal(10, immediate);
    }

    internal static async Task<List<byte[]>> ReadAllAsync(IAudioSource source, int frames)
    {
        var blocks = new List<byte[]>();
        while (true)
        {
            var block = await source.ReadAsync(frames, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            if (block.IsEmpty)
            {
                return blocks;
            }

            blocks.Add(block.ToArray());
        }
    }

    /// <summary>Writes in uneven pieces, as a pipe delivers them, then completes.</summary>
    private static async Task WriteInPiecesAsync(PipeWriter writer, byte[] bytes)
    {
        int[] sizes = [1, 7, 43, 1000, 4093, 17];
        int offset = 0;
        for (int i = 0; offset < bytes.Length; i++)
        {
            int size = Math.Min(sizes[i % sizes.Length], bytes.Length - offset);
            await writer.WriteAsync(bytes.AsMemory(offset, size));
            offset += size;
        }

        await writer.CompleteAsync();
    }
}
