using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace Streamer.Cli.Reporting;

/// <summary>
/// A bench's progress on the terminal: one line on standard error, redrawn in place ("[#####·····] 50 %, 5 of 10 s"),
/// only when standard error is a terminal, the run takes over about 2 s and <c>-q</c> is not given; cleared at the end.
/// A run whose length is not known up front (counted in steps) draws nothing until it has run for 2 s.
/// </summary>
internal sealed class BenchProgress : IProgress<double>, IDisposable
{
    private const int Width = 30;
    private static readonly TimeSpan Threshold = TimeSpan.FromSeconds(2);
    private readonly string _what;
    private readonly double _total;
    private readonly string _unit;
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly Lock _gate = new();
    private Timer? _ticker;
    private bool _drawn;
    private bool _disposed;

    private BenchProgress(string what, double total, string unit)
    {
        _what = what;
        _total = total;
        _unit = unit;
    }

    /// <summary>A progress line for a run of <paramref name="seconds"/>, or null where none should be drawn.</summary>
    public static BenchProgress? For(ParseResult parse, string what, double seconds)
        => seconds > Threshold.TotalSeconds && Drawable(parse) ? new BenchProgress(what, seconds, "s") : null;

    /// <summary>A progress line for a run of <paramref name="steps"/> steps of unknown length, drawn once it has run 2 s; null where none should be drawn.</summary>
    public static BenchProgress? ForSteps(ParseResult parse, string what, int steps, string unit)
        => steps > 0 && Drawable(parse) ? new BenchProgress(what, steps, unit) : null;

    /// <summary>
    /// A progress line that moves with the wall clock over about <paramref name="seconds"/> (for a run that reports no
    /// progress of its own), held at 99 % past it until disposed; null where none should be drawn.
    /// </summary>
    public static BenchProgress? Ticking(ParseResult parse, string what, double seconds)
    {
        var progress = For(parse, what, seconds);
        if (progress is not null)
        {
            progress._ticker = new Timer(
                static state =>
                {
                    var p = (BenchProgress)state!;
                    p.Report(Math.Min(0.99, Stopwatch.GetElapsedTime(p._started).TotalSeconds / p._total));
                },
                progress,
                TimeSpan.FromMilliseconds(250),
                TimeSpan.FromMilliseconds(250));
        }

        return progress;
    }

    private static bool Drawable(ParseResult parse)
        => !parse.GetValue(GlobalOptions.Quiet) && !Console.IsErrorRedirected && !Console.IsOutputRedirected;

    public void Report(double value)
    {
        lock (_gate)
        {
            if (_disposed || Stopwatch.GetElapsedTime(_started) < Threshold)
            {
                return;
            }

            int filled = (int)Math.Round(Math.Clamp(value, 0, 1) * Width);
            string bar = new string('#', filled) + new string('.', Width - filled);
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_what} [{bar}] {value * 100,3:0} %, {value * _total:0} of {_total:0} {_unit} "));
            _drawn = true;
        }
    }

    public void Dispose()
    {
        _ticker?.Dispose();
        lock (_gate)
        {
            if (_drawn && !_disposed)
            {
                Console.Error.Write("\r" + new string(' ', _what.Length + Width + 30 + _unit.Length) + "\r");
            }

            _disposed = true;
        }
    }
}
