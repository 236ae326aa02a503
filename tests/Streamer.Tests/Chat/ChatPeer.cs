using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;
using Streamer.Cli.Chat;
using Streamer.Protocol;
using Streamer.Transport;

namespace Streamer.Tests.Chat;

/// <summary>A chat participant for tests: a real <see cref="ChatClient"/> whose incoming lines are collected as they arrive.</summary>
internal sealed class ChatPeer : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly List<string> _lines = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _receiving = Task.CompletedTask;

    private ChatPeer(ChatClient client)
    {
        Client = client;
    }

    public ChatClient Client { get; }

    /// <summary>Why the session ended: null while it runs or when the server closed cleanly.</summary>
    public Exception? EndError { get; private set; }

    public Task Ended => _ended.Task;

    public string[] Lines
    {
        get
        {
            lock (_lock)
            {
                return [.. _lines];
            }
        }
    }

    public static async Task<ChatPeer> JoinAsync(int port, string name)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var client = await ChatClient.ConnectAsync(new HostPort("127.0.0.1", port), name, NullLogger.Instance, timeout.Token);
        var peer = new ChatPeer(client);
        peer._receiving = Task.Run(peer.ReceiveAsync);
        await peer.WaitForAsync(l => l.StartsWith("* you joined as ", StringComparison.Ordinal));
        return peer;
    }

    public async Task SayAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.True(await Client.SendAsync(text, timeout.Token), "send failed");
    }

    /// <summary>Waits (20 s at most) for a line that matches; fails the test with everything seen otherwise.</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            foreach (string line in _lines)
            {
                if (match(line))
                {
                    return line;
                }
            }

            _waiters.Add((match, found));
        }

        try
        {
            return await found.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            Assert.Fail("expected line never came; got:\n" + string.Join('\n', Lines) + "\nend: " + EndError?.Message);
            throw;
        }
    }

    public Task<string> WaitForAsync(string line) => WaitForAsync(l => l == line);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Client.DisposeAsync();
        await _receiving.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        try
        {
            while (await Client.ReceiveAsync(_stop.Token) is { } message)
            {
                string line = ChatConsole.Format(message);
                lock (_lock)
                {
                    _lines.Add(line);
                    for (int i = _waiters.Count - 1; i >= 0; i--)
                    {
                        if (_waiters[i].Match(line))
                        {
                            _waiters[i].Found.TrySetResult(line);
                            _waiters.RemoveAt(i);
                        }
                    }
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ProtocolException or RemoteErrorException or InvalidOperationException)
        {
            EndError = ex is OperationCanceledException ? null : ex;
        }
        finally
        {
            _ended.TrySetResult();
        }
    }
}
