using Microsoft.Extensions.Logging;
using Streamer.Media.Codecs;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Send;

namespace Streamer.Streaming.Http;

/// <summary>
/// The one Opus encoder of the HTTP stream for a PCM or G.711 broadcast: it reads the broadcast from the live edge
/// (<see cref="BroadcastPcmSource"/>), encodes each frame once and publishes the packets into its own ring, which
/// every HTTP listener follows with its own cursor, exactly as protocol listeners follow the broadcast's.
/// </summary>
internal sealed class OpusTranscodeFeed : IFrameFeed
{
    private readonly IFrameFeed _broadcast;
    private readonly string _broadcastCodec;
    private readonly IAudioCodec _opus;
    private readonly CodecOptions _options;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Subscribers<AsyncSignal> _listeners = new();
    private FrameRing _ring = new(2);
    private StreamInfoMessage? _info;
    private volatile bool _ended;
    private volatile string? _failure;

    public OpusTranscodeFeed(IFrameFeed broadcast, string broadcastCodec, IAudioCodec opus, CodecOptions options, ILogger logger)
    {
        _broadcast = broadcast;
        _broadcastCodec = broadcastCodec;
        _opus = opus;
        _options = options;
        _logger = logger;
    }

    public Task Started => _started.Task;

    public FrameRing Ring => _ring;

    public StreamInfoMessage Info => _info ?? throw new InvalidOperationException("the transcoder has not started");

    public int BurstFrames { get; private set; }

    public int MaxLagFrames { get; private set; }

    public bool Ended => _ended;

    public string? Failure => _failure;

    /// <summary>Broadcast frames the encoder skipped because it fell behind (a machine too busy to encode in real time).</summary>
    public long FramesSkipped { get; private set; }

    public void Add(AsyncSignal listener) => _listeners.Add(listener);

    public void Remove(AsyncSignal listener) => _listeners.Remove(listener);

    /// <summary>Encodes until the broadcast ends or <paramref name="cancellationToken"/> is cancelled; failures end the feed (logged), never throw.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _broadcast.Started.WaitAsync(cancellationToken);
            if (_broadcast.Failure is { } failure)
            {
                _failure = failure;
                return;
            }

            var codec = CodecRegistry.Default.Get(_broadcastCodec);
            var decoder = codec.CreateDecoder(_broadcast.Info.ToCodecStreamInfo());
            var source = new BroadcastPcmSource(_broadcast, decoder);
            IAudioEncoder encoder;
            try
            {
                encoder = _opus.CreateEncoder(source.Format, _options);
            }
            catch
            {
                await source.DisposeAsync();
                throw;
            }

            await using var packetizer = new EncodingPacketizer(source, encoder, _opus.Name);
            Open(packetizer);
            HttpLog.Transcoding(_logger, _broadcastCodec, source.Format.ToString(), _opus.Name);
            uint sequence = 0;
            ulong timestamp = 0;
            while (await packetizer.MoveNextAsync(cancellationToken))
            {
                int samples = packetizer.CurrentSamples;
                var header = new FrameHeader(FrameKind.Audio, sequence++, timestamp, WallClock.NowMicroseconds());
                _ring.Publish(header, packetizer.Current, samples);
                timestamp += (ulong)samples;
                FramesSkipped = source.FramesSkipped;
                WakeAll();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (CodecException ex)
        {
            _failure = ex.Message;
            HttpLog.TranscodeFailed(_logger, ex.Message);
        }
        finally
        {
            _ended = true;
            _started.TrySetResult();
            WakeAll();
        }
    }

    private void Open(EncodingPacketizer packetizer)
    {
        _info = packetizer.Info;
        double frameSeconds = packetizer.FrameDuration.TotalSeconds;
        // The same burst and lag, in time, as the broadcast's own listeners get.
        double broadcastFrameSeconds = (double)_broadcast.Info.FrameSamples / _broadcast.Info.SampleRate;
        BurstFrames = (int)Math.Ceiling(_broadcast.BurstFrames * broadcastFrameSeconds / frameSeconds);
        MaxLagFrames = Math.Max(1, (int)Math.Ceiling(_broadcast.MaxLagFrames * broadcastFrameSeconds / frameSeconds));
        _ring = new FrameRing(Math.Max(BurstFrames, MaxLagFrames) + 16);
        _started.TrySetResult();
    }

    private void WakeAll()
    {
        foreach (var listener in _listeners.Current)
        {
            listener.Set();
        }
    }
}
