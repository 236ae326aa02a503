using System.Globalization;

namespace Streamer.Media.Playout;

/// <summary>
/// <c>play --playout-log FILE.csv</c>: one row per frame played, <c>seq,timestamp,presented_server_us</c>, where the
/// last is the moment the frame's first sample reached the output, on the server's clock as the client's offset
/// estimate maps it. Two listeners' logs of one stream compare row by row (tools/bench-sync.sh). The output's
/// thread only puts rows into a lock-free ring; a background task writes them out every 100 ms, so the audio thread
/// never touches the file. Disposing writes the rest and closes the file.
/// </summary>
public sealed class PlayoutLogWriter : IPlayoutLog, IAsyncDisposable
{
    /// <summary>The file's first line.</summary>
    public const string Header = "seq,timestamp,presented_server_us";

    private static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    private readonly Row[] _rows = new Row[16384];
    private readonly StreamWriter _writer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _draining;
    private long _head;
    private long _tail;
    private long _dropped;

    private PlayoutLogWriter(StreamWriter writer)
    {
        _writer = writer;
        _writer.WriteLine(Header);
        _draining = Task.Run(DrainLoopAsync);
    }

    /// <summary>Rows the ring had no room for (the file fell more than 16384 frames behind); 0 normally.</summary>
    public long Dropped => Volatile.Read(ref _dropped);

    /// <summary>Creates (or truncates) <paramref name="path"/>; an unwritable path throws <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>.</summary>
    public static PlayoutLogWriter Create(string path)
        => new(new StreamWriter(path, append: false) { NewLine = "\n", AutoFlush = false });

    /// <inheritdoc/>
    public void Played(uint sequence, ulong timestamp, long presentedServerUs)
    {
        long tail = _tail;
        if (tail - Volatile.Read(ref _head) >= _rows.Length)
        {
            Interlocked.Increment(ref _dropped);
            return;
        }

        _rows[tail % _rows.Length] = new Row(sequence, timestamp, presentedServerUs);
        Volatile.Write(ref _tail, tail + 1);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _draining;
        Drain();
        await _writer.DisposeAsync();
        _stop.Dispose();
    }

    private async Task DrainLoopAsync()
    {
        using var timer = new PeriodicTimer(FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                Drain();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Drain()
    {
        long head = _head;
        long tail = Volatile.Read(ref _tail);
        Span<char> line = stackalloc char[64];
        for (; head < tail; head++)
        {
            var row = _rows[head % _rows.Length];
            line.Clear();
            if (line.TryWrite(CultureInfo.InvariantCulture, $"{row.Sequence},{row.Timestamp},{row.PresentedServerUs}", out int written))
            {
                _writer.WriteLine(line[..written]);
            }
        }

        Volatile.Write(ref _head, head);
        _writer.Flush();
    }

    private readonly record struct Row(uint Sequence, ulong Timestamp, long PresentedServerUs);
}
