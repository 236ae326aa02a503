using System.IO.Pipelines;
using Microsoft.Extensions.Logging;
using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;
using Streamer.Streaming.Send;

namespace Streamer.Streaming.Http;

/// <summary>
/// A broadcast as an Ogg Opus stream (RFC 7845), for HTTP listeners and for publishing to Icecast. An Opus broadcast
/// is passed through (its packets, not re-encoded); a PCM or G.711 one is transcoded by ONE Opus encoder that every
/// writer shares. Each <see cref="WriteToAsync"/> is one listener: fresh headers with its own serial number, then pages
/// from the live edge (after the broadcast's burst) with its own page numbers and granule positions.
/// </summary>
public sealed class OggLiveStream
{
    private readonly IFrameFeed _feed;
    private readonly OpusTranscodeFeed? _transcoder;
    private readonly Broadcast _broadcast;
    private int _writers;

    /// <summary>
    /// The Ogg stream of <paramref name="server"/>'s broadcast. <paramref name="encoder"/> sets the transcoder's Opus
    /// options (bitrate, complexity; default: the codec's) and is ignored for an Opus broadcast. Call
    /// <see cref="RunAsync"/> alongside the server. Throws <see cref="InvalidOperationException"/> when the server
    /// is not a broadcast (on demand, each client has its own stream: there is no one live edge).
    /// </summary>
    public OggLiveStream(StreamServer server, ILoggerFactory loggers, CodecOptions? encoder = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(loggers);
        _broadcast = server.Broadcast ?? throw new InvalidOperationException("an Ogg live stream needs a broadcast server (--mode broadcast)");
        SourceCodec = _broadcast.CodecName;
        if (OpusCodec.IsOpus(SourceCodec))
        {
            _feed = _broadcast;
        }
        else
        {
            _transcoder = new OpusTranscodeFeed(_broadcast, SourceCodec, CodecRegistry.Default.Get("opus"), encoder ?? new CodecOptions(), loggers.CreateLogger("Streamer.Http"));
            _feed = _transcoder;
        }
    }

    /// <summary>The broadcast's codec (what protocol listeners get).</summary>
    public string SourceCodec { get; }

    /// <summary>True when the broadcast is not Opus and one shared encoder transcodes it.</summary>
    public bool Transcoded => _transcoder is not null;

    /// <summary>Writers streaming now.</summary>
    public int Writers => Volatile.Read(ref _writers);

    /// <summary>Channels of the Ogg stream (known once <see cref="StartedAsync"/> completed).</summary>
    public int Channels => _feed.Info.Channels;

    /// <summary>The rate the broadcast's audio had before Opus (OpusHead's input sample rate; Opus itself is always 48 kHz).</summary>
    public int InputSampleRate => _broadcast.Info.SampleRate;

    /// <summary>Why the stream failed (the broadcast's input, or an encoder that cannot take it), or null.</summary>
    public string? Failure => _feed.Failure;

    /// <summary>True once no more audio will come.</summary>
    public bool Ended => _feed.Ended;

    /// <summary>Completes once the stream's format is known (or it failed: see <see cref="Failure"/>).</summary>
    public Task StartedAsync(CancellationToken cancellationToken) => _feed.Started.WaitAsync(cancellationToken);

    /// <summary>Runs the shared transcoder until the broadcast ends or <paramref name="cancellationToken"/> is cancelled; completes at once for an Opus broadcast. Never throws for the input's failures.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => _transcoder?.RunAsync(cancellationToken) ?? Task.CompletedTask;

    /// <summary>
    /// Writes one listener's Ogg Opus stream into <paramref name="output"/>, flushing after each page, until the
    /// broadcast ends (an end-of-stream page, then it returns), the reader is gone (a completed flush) or
    /// <paramref name="cancellationToken"/> is cancelled (throws <see cref="OperationCanceledException"/>). A
    /// slow reader never slows anyone else: while its flush waits the stream goes on, and it skips ahead when it is
    /// more than the broadcast's lag behind. Throws <see cref="IOException"/> when the stream failed to start.
    /// <paramref name="stats"/>, when given, counts what was sent.
    /// </summary>
    public async Task WriteToAsync(PipeWriter output, OggListenerStats? stats, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        Interlocked.Increment(ref _writers);
        try
        {
            await _broadcast.Started.WaitAsync(cancellationToken);
            var listener = new OggLiveListener(_feed, _broadcast.Info.SampleRate, stats ?? new OggListenerStats());
            await listener.RunAsync(output, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _writers);
        }
    }
}
