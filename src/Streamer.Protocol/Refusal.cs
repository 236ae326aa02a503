using Streamer.Transport;

namespace Streamer.Protocol;

/// <summary>
/// The one way every server turns a peer away (version mismatch, bad hello, wrong role, server full, ...): send the
/// error frame, shut down our sending side (FIN), then read and discard what the peer still sends — for a bounded
/// time and number of bytes — before the caller disposes the connection. Closing with unread input (or with
/// linger 0) makes the kernel send a reset, which can destroy the error frame before the peer reads it.
/// </summary>
public static class Refusal
{
    /// <summary>How long the peer gets to read the error and hang up.</summary>
    public static readonly TimeSpan Linger = TimeSpan.FromSeconds(2);

    /// <summary>How much the peer may still send meanwhile; a peer that keeps sending past this is reset.</summary>
    public const long MaxDrainBytes = 256 * 1024;

    /// <summary>Sends <paramref name="code"/> and <paramref name="message"/> as an error frame, then lingers (see the class).</summary>
    public static async Task SendAsync(IConnection connection, FrameSender sender, FrameReader? reader, string code, string message)
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

    /// <summary>
    /// Ends our side and discards what the peer still sends until it closes, <see cref="Linger"/> passes or
    /// <see cref="MaxDrainBytes"/> arrive, so what we sent reaches it. When the peer closed in time, disposing the
    /// connection afterwards closes it without a reset.
    /// </summary>
    public static async Task LingerAsync(IConnection connection, FrameReader? reader)
    {
        using var timeout = new CancellationTokenSource(Linger);
        long drained = 0;
        try
        {
            await connection.Output.CompleteAsync();
            // A frame reader may still hold the input: let it read until it stops on something that is not a frame.
            while (reader is not null && drained < MaxDrainBytes && await reader.ReadAsync(timeout.Token) == FrameReadOutcome.Frame)
            {
                drained += reader.Current.Payload.Length + FrameParser.PrefixLength;
            }

            while (drained < MaxDrainBytes)
            {
                var read = await connection.Input.ReadAsync(timeout.Token);
                drained += read.Buffer.Length;
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
