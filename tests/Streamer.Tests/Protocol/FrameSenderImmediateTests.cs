using System.Buffers;
using System.IO.Pipelines;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Tests.Protocol;

/// <summary>
/// <see cref="FrameSender.TrySendEncodedNow"/>: a frame goes to the transport at once only when nobody else is sending,
/// the part the transport did not take is queued at once behind it, and nothing is sent twice or lost.
/// </summary>
public sealed class FrameSenderImmediateTests
{
    private static readonly byte[] Frame = [1, 2, 3, 4, 5, 6, 7, 8];

    [Theory]
    [InlineData(8, true, 0)]
    [InlineData(3, true, 5)]
    [InlineData(0, false, 0)]
    public async Task The_transport_takes_what_it_can_and_the_rest_is_queued(int takes, bool expected, int queued)
    {
        var pipe = new Pipe();
        var transport = new FakeTransport(takes);
        using var sender = new FrameSender(pipe.Writer, transport);

        Assert.Equal(expected, sender.TrySendEncodedNow(Frame));

        Assert.Equal(Frame.AsSpan(0, takes).ToArray(), transport.Taken.ToArray());
        Assert.Equal(Frame.AsSpan(takes, queued).ToArray(), await QueuedAsync(pipe));
    }

    [Fact]
    public async Task Nothing_goes_at_once_while_another_send_holds_the_sender()
    {
        // A queue that takes one byte before its writer waits: a control frame's flush holds the sender's gate.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        var transport = new FakeTransport(8);
        using var sender = new FrameSender(pipe.Writer, transport);
        var pending = sender.SendAsync(new StatusMessage(StatusMessage.Live));
        Assert.False(pending.IsCompleted);

        Assert.False(sender.TrySendEncodedNow(Frame));
        Assert.Equal(0, transport.Calls);

        var read = await pipe.Reader.ReadAsync();
        pipe.Reader.AdvanceTo(read.Buffer.End);
        Assert.True(await pending);
        Assert.True(sender.TrySendEncodedNow(Frame));
        Assert.Equal(1, transport.Calls);
    }

    [Fact]
    public void A_connection_without_the_feature_never_sends_at_once()
    {
        var pipe = new Pipe();
        using var sender = new FrameSender(pipe.Writer);

        Assert.False(sender.TrySendEncodedNow(Frame));
        Assert.Equal(0, pipe.Writer.UnflushedBytes);
    }

    private static async Task<byte[]> QueuedAsync(Pipe pipe)
    {
        await pipe.Writer.CompleteAsync();
        var result = await pipe.Reader.ReadAsync();
        while (!result.IsCompleted)
        {
            pipe.Reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
            result = await pipe.Reader.ReadAsync();
        }

        return result.Buffer.ToArray();
    }

    private sealed class FakeTransport(int takes) : IImmediateSend
    {
        public MemoryStream Taken { get; } = new();

        public int Calls { get; private set; }

        public int TrySendNow(ReadOnlySpan<byte> data)
        {
            Calls++;
            int n = Math.Min(takes, data.Length);
            Taken.Write(data[..n]);
            return n;
        }
    }
}
