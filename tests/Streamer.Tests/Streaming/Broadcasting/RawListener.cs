using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Tests.Streaming.Broadcasting;

/// <summary>
/// A listener at the protocol level (any transport): the hello, then every frame recorded in order. It can stop
/// reading (a listener whose socket cannot keep up) and start again.
/// </summary>
internal sealed class RawListener : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly FrameReader _reader;
    private readonly FrameSender _sender;
    private readonly List<(FrameHeader Header, byte[] Payload)> _frames = [];
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _resume = CompletedSource();
    private Task _reading = Task.CompletedTask;

    private RawListener(IConnection connection)
    {
        _connection = connection;
        _reader = new FrameReader(connection.Input);
        _sender = new FrameSender(connection.Output);
    }

    /// <summary>True once the server closed the connection.</summary>
    public bool Closed { get; private set; }

    public static async Task<RawListener> ConnectAsync(IConnectionFactory connector, string codec = "pcm", bool paused = false)
    {
        var connection = await connector.ConnectAsync(new System.Net.DnsEndPoint("memory", 0));
        var listener = new RawListener(connection);
        if (paused)
        {
            listener.Pause();
        }

        await Handshake.ConnectAsync(listener._reader, listener._sender, new HelloMessage(ProtocolVersion.Current, "play", "test", [codec]), TimeSpan.FromSeconds(10), CancellationToken.None);
        listener._reading = Task.Run(listener.ReadAsync);
        return listener;
    }

    public List<(FrameHeader Header, byte[] Payload)> Frames
    {
        get
        {
            lock (_frames)
            {
                return [.. _frames];
            }
        }
    }

    public List<uint> AudioSequences => Frames.Where(f => f.Header.Kind == FrameKind.Audio).Select(f => f.Header.Sequence).ToList();

    public List<string> Statuses => Frames.Where(f => f.Header.Kind == FrameKind.Status).Select(f => StatusMessage.Read(new(f.Payload)).State).ToList();

    public void Pause() => _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Resume() => _resume.TrySetResult();

    /// <summary>Waits (up to 30 s) until the recorded frames satisfy <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(Func<RawListener, bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition(this))
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"the listener never saw {what}; it got {Frames.Count} frames, audio up to {AudioSequences.LastOrDefault()}");
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _resume.TrySetResult();
        _connection.Abort();
        try
        {
            await _reading;
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
        }

        _sender.Dispose();
        await _connection.DisposeAsync();
        _stop.Dispose();
    }

    private static TaskCompletionSource CompletedSource()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    private async Task ReadAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await _resume.Task;
            var outcome = await _reader.ReadAsync(_stop.Token);
            if (outcome != FrameReadOutcome.Frame)
            {
                Closed = true;
                return;
            }

            var frame = _reader.Current;
            lock (_frames)
            {
                _frames.Add((frame.Header, System.Buffers.BuffersExtensions.ToArray(frame.Payload)));
            }
        }
    }
}
