using Streamer.Transport;

namespace Streamer.Protocol.Hosting;

/// <summary>
/// Tells a peer why it is turned away, then waits briefly for it to finish sending: closing a socket with unread
/// bytes makes the kernel send a reset, which can destroy the error frame before the peer reads it.
/// </summary>
internal static class Refusal
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    public static async Task SendAsync(SocketConnection connection, FrameSender sender, FrameReader? reader, string code, string message)
    {
        using var timeout = new CancellationTokenSource(Linger);
        try
        {
            await sender.SendAsync(new ErrorMessage(code, message), timeout.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            return;
        }

        await LingerAsync(connection, reader);
    }

    /// <summary>Ends our side and discards what the peer still sends, for a second at most, so what we sent arrives.</summary>
    public static async Task LingerAsync(SocketConnection connection, FrameReader? reader)
    {
        using var timeout = new CancellationTokenSource(Linger);
        try
        {
            await connection.Output.CompleteAsync();
            // A frame reader may still hold the input: let it read until it stops on something that is not a frame.
            while (reader is not null && await reader.ReadAsync(timeout.Token) == FrameReadOutcome.Frame)
            {
            }

            while (true)
            {
                var read = await connection.Input.ReadAsync(timeout.Token);
                connection.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
        }
    }
}
