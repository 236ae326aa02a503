using System.CommandLine;
using Microsoft.Extensions.Logging;
using Streamer.Streaming.Http;
using Streamer.Streaming.Icecast;
using Streamer.Streaming.Send;

namespace Streamer.Cli.Commands;

/// <summary><c>serve --icecast URL</c>: publishing the broadcast to an Icecast mount (docs/scale-out.md).</summary>
internal sealed class IcecastArguments
{
    public Option<string?> Url { get; } = new("--icecast")
    {
        Description = "Also publish the broadcast as Ogg Opus to this Icecast 2.4 mount, e.g. icecast://source:PASSWORD@HOST:8000/live.opus (reconnects when Icecast restarts; the password is never printed)",
        HelpName = "URL",
    };

    public Option<string?> Credentials { get; } = new("--icecast-credentials")
    {
        Description = "Read the Icecast source credentials from this file ('USER:PASSWORD' or a bare password on its first line) instead of the URL",
        HelpName = "FILE",
    };

    public Option<string> Name { get; } = new("--icecast-name")
    {
        Description = "The stream's name on Icecast (ice-name)",
        DefaultValueFactory = _ => "streamer",
    };

    public Option<string?> Description { get; } = new("--icecast-description")
    {
        Description = "The stream's description on Icecast (ice-description)",
        HelpName = "TEXT",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Credentials);
        command.Options.Add(Name);
        command.Options.Add(Description);
    }

    /// <summary>The target, checked before listening (bad input exits 2 at once), or null without --icecast.</summary>
    public IcecastTarget? Build(ParseResult parse, StreamMode mode)
    {
        string? url = parse.GetValue(Url);
        string? file = parse.GetValue(Credentials);
        if (url is null)
        {
            return file is null ? null : throw new CliException(ExitCodes.BadInput, "--icecast-credentials needs --icecast URL");
        }

        string? credentials = null;
        if (file is not null)
        {
            try
            {
                credentials = File.ReadAllText(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException(ExitCodes.BadInput, $"--icecast-credentials '{file}': {ex.Message}");
            }
        }

        // The URL may hold the password: messages never repeat it, only the reason.
        if (!IcecastTarget.TryParse(url, credentials, out var target, out string error))
        {
            throw new CliException(ExitCodes.BadInput, $"--icecast: {error}");
        }

        if (mode != StreamMode.Broadcast)
        {
            throw new CliException(ExitCodes.BadInput, "--icecast publishes one live stream: it needs a broadcast (a live input, or --mode broadcast for a file)");
        }

        return target;
    }

    /// <summary>
    /// Publishes <paramref name="server"/>'s broadcast to <paramref name="target"/> while <paramref name="serving"/>
    /// runs. When the broadcast ends, a connected publisher has sent its end-of-stream page (given 2 s to finish);
    /// one waiting to reconnect stops at once. <paramref name="shared"/>, the web side's Ogg stream when
    /// <c>--http-port</c> runs too, is published (and its one transcoder shared) instead of a second one of our own.
    /// </summary>
    public async Task PublishWhileAsync(Task serving, ParseResult parse, IcecastTarget target, StreamServer server, OggLiveStream? shared, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        // One Ogg stream per process: a PCM or G.711 broadcast is encoded to Opus once, for HTTP and Icecast alike.
        var ogg = shared ?? new OggLiveStream(server, loggers);
        var metadata = new IcecastMetadata { Name = parse.GetValue(Name)!, Description = parse.GetValue(Description) };
        var publisher = new IcecastPublisher(target, ogg, metadata, loggers.CreateLogger("Streamer.Icecast"));
        // The shared stream's transcoder is run (and stopped) by the web side.
        var publishing = Task.WhenAll(shared is null ? ogg.RunAsync(stop.Token) : Task.CompletedTask, publisher.RunAsync(stop.Token));
        try
        {
            await serving;
        }
        finally
        {
            await Task.WhenAny(publishing, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None));
            await stop.CancelAsync();
            try
            {
                await publishing;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
