using System.Buffers;
using Streamer.Media;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;

namespace Streamer.Tests.Media.Outputs;

public sealed class ClockedOutputSinkTests
{
    private static readonly AudioFormat Stereo16 = new(48000, 2, SampleEncoding.Int16);

    [Fact]
    public async Task The_output_plays_from_the_buffer_to_the_end_and_is_disposed_with_the_sink()
    {
        var output = new DrainingOutput();
        var buffer = new JitterBuffer(Stereo16, new JitterBufferOptions(), new PlaybackStats());
        var sink = new ClockedOutputSink(output, buffer, _ => Assert.Fail("the output did not fail"), CancellationToken.None);

        Assert.True(sink.TryWrite(new ReadOnlySequence<byte>(new byte[400]), 0));
        await sink.CompleteAsync(CancellationToken.None);
        await sink.DisposeAsync();

        Assert.True(buffer.IsCompleted);
        Assert.True(output.Disposed);
    }

    [Fact]
    public async Task An_output_that_fails_stops_the_receive_loop_and_its_error_names_it_when_the_sink_closes()
    {
        var output = new FailingOutput();
        var buffer = new JitterBuffer(Stereo16, new JitterBufferOptions(), new PlaybackStats());
        Exception? reported = null;
        var sink = new ClockedOutputSink(output, buffer, error => reported = error, CancellationToken.None);

        output.Fail(new IOException("device gone"));

        Assert.Equal("device gone", reported?.Message);
        var error = await Assert.ThrowsAsync<IOException>(() => sink.DisposeAsync().AsTask());
        Assert.Equal("failing: device gone", error.Message);
        Assert.True(output.Disposed);
    }

    private sealed class DrainingOutput : IClockedOutput
    {
        public bool Disposed { get; private set; }

        public string Description => "draining";

        public Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken) => Task.Run(
            () =>
            {
                var block = new byte[64];
                while (!(source.ReadClocked(block) < block.Length && source.IsCompleted))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }
            },
            cancellationToken);

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    private sealed class FailingOutput : IClockedOutput
    {
        private readonly TaskCompletionSource _run = new();

        public bool Disposed { get; private set; }

        public string Description => "failing";

        public void Fail(Exception error) => _run.SetException(error);

        public Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken) => _run.Task;

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
