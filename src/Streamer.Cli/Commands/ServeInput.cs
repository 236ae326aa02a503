using Streamer.Media.Sources;

namespace Streamer.Cli.Commands;

/// <summary>
/// What <c>serve</c> streams: a name for messages, its format, how to open it, and whether it keeps its own time.
/// A live input (stdin, a FIFO, a device) is opened once, before listening, and held here until the broadcast takes
/// it (<see cref="Open"/>, once); from then the broadcast owns it and disposes it at its end. Disposing this releases
/// a live input nobody took: the server could not start (the port is in use, a later option is bad), so the FIFO's
/// read end, the capture stream or standard input is closed rather than left open.
/// </summary>
internal sealed class ServeInput : IAsyncDisposable
{
    private readonly Func<CancellationToken, Task<IAudioSource>>? _open;
    private IAudioSource? _held;

    private ServeInput(string name, Media.AudioFormat format, Func<CancellationToken, Task<IAudioSource>>? open, IAudioSource? held)
    {
        Name = name;
        Format = format;
        _open = open;
        _held = held;
    }

    public string Name { get; }

    public Media.AudioFormat Format { get; }

    /// <summary>A live input (stdin, FIFO, device): always a broadcast, never paced by the engine.</summary>
    public bool IsLive => _open is null;

    /// <summary>Whether a live input is still held here (not taken by a broadcast, not disposed).</summary>
    public bool Holds => Volatile.Read(ref _held) is not null;

    /// <summary>An input opened afresh by each <see cref="Open"/>: a file, the tone (once per client on demand).</summary>
    public static ServeInput Reopenable(string name, Media.AudioFormat format, Func<CancellationToken, Task<IAudioSource>> open)
        => new(name, format, open, held: null);

    /// <summary>A live input, already open: the first <see cref="Open"/> hands it over, and there is no second.</summary>
    public static ServeInput Live(string name, IAudioSource source)
        => new(name, source.Format, open: null, source);

    /// <summary>Opens the source: once per client on demand, once in all for a broadcast (a live input: hands it over).</summary>
    public Task<IAudioSource> Open(CancellationToken cancellationToken)
    {
        if (_open is not null)
        {
            return _open(cancellationToken);
        }

        return Interlocked.Exchange(ref _held, null) is { } source
            ? Task.FromResult(source)
            : throw new InvalidOperationException(Name + " is read once");
    }

    /// <summary>Releases a live input that was never handed over; one that was is the broadcast's to close.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _held, null) is { } source)
        {
            await source.DisposeAsync();
        }
    }
}
