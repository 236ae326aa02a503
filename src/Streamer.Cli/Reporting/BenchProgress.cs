using System.Globalization;
using System.CommandLine;

namespace Streamer.Cli.Reporting;

/// <summary>
/// A bench's progress on the terminal: one line on standard error, redrawn in place ("[#####·····] 50 %, 5 of 10 s"),
/// only when standard error is a terminal, the run takes over about 2 s and <c>-q</c> is not given; cleared at the end.
/// </summary>
internal sealed class BenchProgress : IProgress<double>, IDisposable
{
    private const int Width = 30;
    private readonly string _what;
    private readonly double _seconds;
    private bool _drawn;

    private BenchProgress(string what, double seconds)
    {
        _what = what;
        _seconds = seconds;
    }

    /// <summary>A progress line for a run of <paramref name="seconds"/>, or null where none should be drawn.</summary>
    public static BenchProgress? For(ParseResult parse, string what, double seconds)
        => seconds > 2 && !parse.GetValue(GlobalOptions.Quiet) && !Console.IsErrorRedirected && !Console.IsOutputRedirected
            ? new BenchProgress(what, seconds)
            : null;

    public void Report(double value)
    {
        int filled = (int)Math.Round(Math.Clamp(value, 0, 1) * Width);
        string bar = new string('#', filled) + new string('.', Width - filled);
        Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\r{_what} [{bar}] {value * 100,3:0} %, {value * _seconds:0} of {_seconds:0} s "));
        _drawn = true;
    }

    public void Dispose()
    {
        if (_drawn)
        {
            Console.Error.Write("\r" + new string(' ', _what.Length + Width + 30) + "\r");
        }
    }
}
