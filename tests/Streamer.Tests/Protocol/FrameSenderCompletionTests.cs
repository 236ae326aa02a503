using System.IO.Pipelines;
using Streamer.Protocol;
using Streamer.Protocol.ClockSync;

namespace Streamer.Tests.Protocol;

/// <summary>
/// <see cref="FrameSender.CompleteAsync"/> ends the output after the frame being written, and every later send returns
/// false: also one that was already waiting for the sender when the output ended (a pong to a ping read just before
/// the end of a stream). Writing it to the completed pipe would throw, and the session would reset the connection
/// with the stream's last bytes still unread by the client.
/// </summary>
public sealed class FrameSenderCompletionTests
{
    [Fact]
    public async Task A_send_queued_behind_the_end_returns_false_instead_of_throwing()
    {
        // A queue that takes one byte before its writer waits: the first frame's flush holds the sender's gate.
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 1, resumeWriterThreshold: 1));
        using var sender = new FrameSender(pipe.Writer);
        var first = sender.SendAsync(new StatusMessage(StatusMessage.Live));
        Assert.False(first.IsCompleted);
        var ending = sender.CompleteAsync();
        var ping = new FrameHeader(FrameKind.Ping, 0, 0, 1234);
        var pong = PingAnswer.SendAsync(sender, ping, CancellationToken.None);
        Assert.False(pong.IsCompleted);

        var reading = ReadAllAsync(pipe.Reader);
        Assert.True(await first);
        await ending;
        Assert.False(await pong);

        Assert.False(await sender.SendEmptyAsync(FrameKind.Ping));
        Assert.False(sender.TrySendEncodedNow([1, 2, 3]));
        await sender.CompleteAsync();
        // Only the frame sent before the end reached the pipe.
        var buffer = new System.Buffers.ReadOnlySequence<byte>(await reading);
        Assert.Equal(FrameReadStatus.Frame, FrameParser.TryRead(ref buffer, 1 << 20, out var frame, out _));
        Assert.Equal(FrameKind.Status, frame.Header.Kind);
        Assert.True(buffer.IsEmpty, $"{buffer.Length} bytes after the one frame sent before the end");
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        var all = new MemoryStream();
        while (true)
        {
            var result = await reader.ReadAsync();
            foreach (var segment in result.Buffer)
            {
                all.Write(segment.Span);
            }

            reader.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return all.ToArray();
            }
        }
    }
}
