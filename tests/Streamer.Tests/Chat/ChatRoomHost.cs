using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Chat;

namespace Streamer.Tests.Chat;

/// <summary>A real chat server on a free loopback port for the length of a test.</summary>
internal sealed class ChatRoomHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _running;

    public ChatRoomHost(ChatServerOptions? options = null)
    {
        Server = new ChatServer("127.0.0.1", 0, options ?? new ChatServerOptions(), NullLoggerFactory.Instance);
        _running = Server.RunAsync(_stop.Token);
    }

    public ChatServer Server { get; }

    public int Port => Server.LocalEndPoint.Port;

    /// <summary>Stops accepting, tells the room, and waits for every connection to end.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _running.WaitAsync(TimeSpan.FromSeconds(20));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await Server.DisposeAsync();
        _stop.Dispose();
    }
}
