using System.CommandLine;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Streamer.Cli;

/// <summary>Options every command takes: verbosity. Logs go to standard error so standard output stays clean for data.</summary>
internal static class GlobalOptions
{
    public static Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log more (debug level)",
        Recursive = true,
    };

    public static Option<bool> Quiet { get; } = new("--quiet", "-q")
    {
        Description = "Log only warnings and errors; no live status line",
        Recursive = true,
    };

    public static Option<string[]> Plugins { get; } = new("--plugin")
    {
        Description = "Load codecs from a plug-in assembly (repeatable; also every *.dll in $STREAMER_PLUGINS): see docs/plugins.md",
        HelpName = "PATH.dll",
        Recursive = true,
        AllowMultipleArgumentsPerToken = false,
    };

    public static ILoggerFactory CreateLoggerFactory(ParseResult parse)
    {
        var level = parse.GetValue(Verbose) ? LogLevel.Debug : parse.GetValue(Quiet) ? LogLevel.Warning : LogLevel.Information;
        return LoggerFactory.Create(builder =>
        {
            builder.SetMinimumLevel(level);
            builder.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss.fff ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
            builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        });
    }
}
