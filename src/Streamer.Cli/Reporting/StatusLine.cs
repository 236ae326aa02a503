using System.Globalization;
using Streamer.Streaming.Receive;

namespace Streamer.Cli.Reporting;

/// <summary>A live one-line status on stderr while a stream plays; shown only on a terminal.</summary>
internal sealed class StatusLine : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly ReceivedStream _stream;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _width;

    public StatusLine(ReceivedStream stream, bool enabled)
    {
        _stream = stream;
        _loop = enabled && !Console.IsErrorRedirected ? RunAsync() : Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        if (_width > 0)
        {
            await Console.Error.WriteAsync("\r" + new string(' ', _width) + "\r");
        }

        _stop.Dispose();
    }

    public static string Format(ReceivedStream stream, TimeSpan elapsed)
    {
        var stats = stream.Stats;
        double seconds = stream.Info is { } info ? (double)stats.SamplesPlayed / info.SampleRate : 0;
        double kbps = elapsed.TotalSeconds > 0 ? stats.Bytes * 8 / elapsed.TotalSeconds / 1000 : 0;
        string buffer = stream.Buffer is { } jitter ? $"{jitter.DepthMilliseconds,4:0}/{jitter.TargetMilliseconds:0} ms" : "-";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{seconds,7:0.00} s  {kbps,6:0} kbit/s  buffer {buffer}  latency {stats.Latency.Percentile(50),5:0.0} ms  lost {stats.Lost}  late {stats.Late}  concealed {stats.Concealed}  underruns {stats.Underruns}  drift {stream.Buffer?.DriftPpm ?? 0:+0;-0} ppm  offset {stats.ClockOffset.OffsetMicroseconds / 1000.0:0.0} ms");
    }

    private async Task RunAsync()
    {
        var started = DateTime.UtcNow;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                string line = Format(_stream, DateTime.UtcNow - started);
                _width = Math.Max(_width, line.Length);
                await Console.Error.WriteAsync("\r" + line.PadRight(_width));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
