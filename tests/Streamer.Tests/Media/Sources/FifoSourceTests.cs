using System.Buffers;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Sources.Live;
using Streamer.Tests.Support;

namespace Streamer.Tests.Media.Sources;

/// <summary>A real FIFO (mkfifo) whose writer stops and starts again, as a music player does.</summary>
public sealed class FifoSourceTests
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);
    private const int Block = 480;

    [LinuxFact("mkfifo")]
    public async Task A_writer_that_stops_and_starts_again_is_read_in_full_with_silence_between()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        byte[] first = WavFixture.Samples(Format, Block * 20, seed: 1);
        byte[] second = WavFixture.Samples(Format, Block * 20, seed: 2);

        await using var source = await FifoSource.OpenAsync(fifo, fifo, Format, FifoGap.Silence, InputPacing.Live, NullLogger.Instance, CancellationToken.None);
        Assert.Null(source.TotalFrames);
        // Nobody writes yet: silence, on the clock.
        Assert.True(IsSilence(await ReadBlockAsync(source)));

        var writing = WriteAsync(fifo, first);
        var got = await ReadUntilAsync(source, first);
        await writing;
        // Gone: silence again, until the second writer.
        Assert.True(IsSilence(await ReadBlockAsync(source)));
        writing = WriteAsync(fifo, second);
        await ReadUntilAsync(source, second);
        await writing;
        Assert.True(got >= 0);
    }

    [LinuxFact("mkfifo")]
    public async Task With_nothing_in_the_gaps_the_second_writer_follows_the_first_directly()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        byte[] first = WavFixture.Samples(Format, Block * 10, seed: 3);
        byte[] second = WavFixture.Samples(Format, Block * 10, seed: 4);

        await using var source = await FifoSource.OpenAsync(fifo, fifo, Format, FifoGap.Nothing, InputPacing.Unpaced, NullLogger.Instance, CancellationToken.None);
        var pending = ReadBlockAsync(source);
        await Task.Delay(200);
        Assert.False(pending.IsCompleted, "a read returned with no writer and --fifo-gap nothing");
        await WriteAsync(fifo, first);
        var all = new List<byte>(await pending);
        while (all.Count < first.Length)
        {
            all.AddRange(await ReadBlockAsync(source));
        }

        var writing = WriteAsync(fifo, second);
        while (all.Count < first.Length + second.Length)
        {
            all.AddRange(await ReadBlockAsync(source));
        }

        await writing;
        Assert.Equal([.. first, .. second], all.ToArray());
    }

    [LinuxFact("mkfifo")]
    public async Task Writers_that_follow_each_other_at_once_lose_nothing()
    {
        // A player that reopens its output at once (track changes) races the source's reopen: a writer whose open
        // lands between the source seeing the previous writer's end and its next open must not meet EPIPE.
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        const int writers = 30;
        var expected = new List<byte>();
        await using var source = await FifoSource.OpenAsync(fifo, fifo, Format, FifoGap.Nothing, InputPacing.Unpaced, NullLogger.Instance, CancellationToken.None);
        var writing = Task.Run(async () =>
        {
            for (int i = 0; i < writers; i++)
            {
                await WriteAsync(fifo, WavFixture.Samples(Format, Block * 2, seed: 100 + i));
            }
        });
        for (int i = 0; i < writers; i++)
        {
            expected.AddRange(WavFixture.Samples(Format, Block * 2, seed: 100 + i));
        }

        var all = new List<byte>();
        while (all.Count < expected.Count)
        {
            all.AddRange(await ReadBlockAsync(source));
        }

        await writing;
        Assert.Equal(expected.ToArray(), all.ToArray());
    }

    [LinuxFact("mkfifo")]
    public async Task A_wav_fifo_takes_its_format_from_the_first_writer_and_each_writer_sends_a_header()
    {
        using var dir = new TempDirectory();
        string fifo = MakeFifo(dir);
        var mono = new AudioFormat(44100, 1, SampleEncoding.Int24);
        byte[] first = WavFixture.Samples(mono, Block * 4, seed: 5);
        byte[] second = WavFixture.Samples(mono, Block * 4, seed: 6);

        var gone = new WriterGoneLogger();
        var opening = FifoSource.OpenAsync(fifo, fifo, rawFormat: null, FifoGap.Nothing, InputPacing.Unpaced, gone, CancellationToken.None);
        await WriteAsync(fifo, WavFixture.Build(mono, first, declaredDataSize: 0xFFFFFFFF));
        await using var source = await opening;
        Assert.Equal(mono, source.Format);
        var all = new List<byte>();
        while (all.Count < first.Length)
        {
            all.AddRange((await source.ReadAsync(Block, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20))).ToArray());
        }

        // The next writer comes once the source has seen this one go (a read meets its end of file). A FIFO has no end
        // of file while any writer has it open, so a writer that opened earlier would run on from the first one's
        // data and its header would read as audio: no reader can tell them apart then.
        var reading = source.ReadAsync(Block, CancellationToken.None).AsTask();
        await gone.Gone.WaitAsync(TimeSpan.FromSeconds(20));
        var writing = WriteAsync(fifo, WavFixture.Build(mono, second, declaredDataSize: 0));
        all.AddRange((await reading.WaitAsync(TimeSpan.FromSeconds(20))).ToArray());
        while (all.Count < first.Length + second.Length)
        {
            all.AddRange((await source.ReadAsync(Block, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20))).ToArray());
        }

        await writing;
        Assert.Equal([.. first, .. second], all.ToArray());
    }

    /// <summary>Completes <see cref="Gone"/> when the source logs that its writer went away (event 743).</summary>
    private sealed class WriterGoneLogger : Microsoft.Extensions.Logging.ILogger
    {
        private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Gone => _gone.Task;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Id == 743)
            {
                _gone.TrySetResult();
            }
        }
    }

    private static string MakeFifo(TempDirectory dir)
    {
        string fifo = dir.File("player.fifo");
        var (code, _, error) = ExternalTool.Run("mkfifo", fifo);
        Assert.True(code == 0, error);
        Assert.True(NamedPipe.IsFifo(fifo));
        Assert.False(NamedPipe.IsFifo(dir.Path));
        return fifo;
    }

    /// <summary>A writer process's life: open (waits for the reader), write everything, close.</summary>
    private static Task WriteAsync(string fifo, byte[] bytes) => Task.Run(async () =>
    {
        await using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0);
        await stream.WriteAsync(bytes);
    }).WaitAsync(TimeSpan.FromSeconds(30));

    private static async Task<byte[]> ReadBlockAsync(FifoSource source)
    {
        var block = await source.ReadAsync(Block, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(Block * Format.BlockAlign, block.Length);
        return block.ToArray();
    }

    /// <summary>Reads past any silence until <paramref name="expected"/> arrives whole; returns the silent blocks skipped.</summary>
    private static async Task<int> ReadUntilAsync(FifoSource source, byte[] expected)
    {
        int silent = 0;
        byte[] block = await ReadBlockAsync(source);
        while (IsSilence(block))
        {
            silent++;
            block = await ReadBlockAsync(source);
        }

        var all = new List<byte>(block);
        while (all.Count < expected.Length)
        {
            all.AddRange(await ReadBlockAsync(source));
        }

        Assert.Equal(expected, all.ToArray());
        return silent;
    }

    private static bool IsSilence(byte[] block) => block.AsSpan().IndexOfAnyExcept((byte)0) < 0;
}
