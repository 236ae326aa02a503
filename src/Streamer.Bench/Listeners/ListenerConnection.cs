using System.Net.Sockets;
using Streamer.Protocol;

namespace Streamer.Bench.Listeners;

/// <summary>
/// One bench listener's connection, whatever it speaks (<see cref="ProtocolListener"/>, <see cref="HttpStreamListener"/>):
/// how it opens its stream and receives it. <see cref="ListenAsync"/> is the one life every listener lives: through
/// the connect gate, connected and opened, settled, counted, received to the end, closed on every path.
/// </summary>
internal abstract class ListenerConnection : IAsyncDisposable
{
    /// <summary>
    /// Speaks to the server over <paramref name="socket"/> (this owns it from here, disposed or not) until its stream
    /// starts. Returns false when the server refused, having counted the refusal; a refusal by error frame may instead
    /// be thrown as <see cref="RemoteErrorException"/>. Other failures throw.
    /// </summary>
    protected abstract Task<bool> OpenAsync(Socket socket, ListenerTally tally, CancellationToken handshake);

    /// <summary>Receives the stream, counting it in <paramref name="tally"/>, until it ends or <paramref name="stop"/>.</summary>
    protected abstract Task ReceiveAsync(ListenerTally tally, CancellationToken stop);

    /// <summary>Closes what <see cref="OpenAsync"/> took (the socket, or the streams over it).</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>
    /// The listener's life: waits for the gate (so only so many connect at once), connects and opens within the
    /// connect timeout, settles (connected, refused or failed), then receives until the stream ends or
    /// <paramref name="stop"/>; what went wrong is counted, never thrown.
    /// </summary>
    public async Task ListenAsync(ListenerRun run, CancellationToken stop)
    {
        var tally = run.Tally;
        try
        {
            if (!await TryOpenAsync(run, stop))
            {
                return;
            }

            tally.AddConnected();
            await ReceiveAsync(tally, stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (RemoteErrorException ex)
        {
            tally.AddLost("the server said: " + ex.Code);
        }
        catch (Exception ex) when (ex is IOException or ProtocolException or SocketException)
        {
            tally.AddLost(ListenerRun.Describe(ex));
        }
        finally
        {
            await DisposeAsync();
        }
    }

    private async Task<bool> TryOpenAsync(ListenerRun run, CancellationToken stop)
    {
        bool entered = false;
        try
        {
            await run.Gate.WaitAsync(stop);
            entered = true;
            var socket = await run.ConnectAsync(stop);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(stop);
            handshake.CancelAfter(run.Options.ConnectTimeout);
            return await OpenAsync(socket, run.Tally, handshake.Token);
        }
        catch (RemoteErrorException ex)
        {
            run.Tally.AddRefused(ex.Code);
            return false;
        }
        catch (Exception ex) when (ex is SocketException or IOException or ProtocolException or InvalidDataException or OperationCanceledException)
        {
            if (!stop.IsCancellationRequested)
            {
                run.Tally.AddFailed(ListenerRun.Describe(ex));
            }

            return false;
        }
        finally
        {
            if (entered)
            {
                run.Gate.Release();
            }

            run.Settle();
        }
    }
}
