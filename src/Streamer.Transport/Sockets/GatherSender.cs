using System.Net.Sockets;
using System.Threading.Tasks.Sources;

namespace Streamer.Transport.Sockets;

/// <summary>
/// One reusable asynchronous gather send (<c>sendmsg</c> with several buffers) per connection: what the send loop
/// queued in several pipe segments leaves in one system call, and the awaitable is this object again and again, so a
/// send allocates nothing (<see cref="Socket.SendAsync(IList{ArraySegment{byte}}, SocketFlags)"/> would allocate a
/// task per call). The pattern of Kestrel's own socket sender.
/// </summary>
internal sealed class GatherSender : SocketAsyncEventArgs, IValueTaskSource<int>
{
    // Continuations on the thread pool, as the runtime's own socket awaitables do on Unix: the send loop must not run
    // on (and hold up) the thread that dispatches every socket's completions.
    private ManualResetValueTaskSourceCore<int> _completion = new() { RunContinuationsAsynchronously = true };

    public GatherSender()
        : base(unsafeSuppressExecutionContextFlow: true)
    {
    }

    /// <summary>Sends <paramref name="buffers"/>; the result is how many bytes went (all of them, unless it failed).</summary>
    public ValueTask<int> SendAsync(Socket socket, IList<ArraySegment<byte>> buffers)
    {
        _completion.Reset();
        BufferList = buffers;
        return socket.SendAsync(this) ? new ValueTask<int>(this, _completion.Version) : new ValueTask<int>(Result());
    }

    public int GetResult(short token) => _completion.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _completion.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _completion.OnCompleted(continuation, state, token, flags);

    protected override void OnCompleted(SocketAsyncEventArgs e)
    {
        if (SocketError == SocketError.Success)
        {
            _completion.SetResult(BytesTransferred);
        }
        else
        {
            _completion.SetException(new SocketException((int)SocketError));
        }
    }

    private int Result() => SocketError == SocketError.Success ? BytesTransferred : throw new SocketException((int)SocketError);
}
