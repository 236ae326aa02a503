using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Sources;
using Streamer.Streaming.Send;
using Streamer.Transport.Memory;

namespace Streamer.Tests.Streaming.Broadcasting;

/// <summary>
/// A real <see cref="StreamServer"/> in broadcast mode over the memory transport, fed by a <see cref="GatedSource"/>
/// the test releases frame by frame (a live input: no engine pacing), so every join, stall and skip is exact.
/// </summary>
internal sealed class BroadcastHarness : IAsyncDisposable
{
    public static readonly AudioFormat Stereo48 = new(48000, 2, SampleEncoding.Int16);

    /// <summary>20 ms at 48 kHz: one frame of the default PCM framing.</summary>
    public const int FrameSamples = 960;

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;

    public BroadcastHarness(byte[] samples, Action<StreamServerOptions>? configure = null, IAudioCodec? codec = null, long maxInputBufferBytes = MemoryTransport.DefaultMaxInputBufferBytes)
    {
        Transport = new MemoryTransport(maxInputBufferBytes: maxInputBufferBytes);
        Source = new GatedSource(Stereo48, samples);
        var options = new StreamServerOptions { Mode = StreamMode.Broadcast };
        options.Broadcast.PaceByEngine = false;
        configure?.Invoke(options);
        var factory = new FrameSourceFactory(_ => Task.FromResult<IAudioSource>(Source), codec ?? new PcmCodec(), new CodecOptions());
        Server = new StreamServer(Transport.Listener, factory, options, NullLoggerFactory.Instance);
        _serving = Server.RunAsync(_stop.Token);
    }

    public MemoryTransport Transport { get; }

    public GatedSource Source { get; }

    public StreamServer Server { get; }

    public Streamer.Streaming.Send.Broadcast Broadcast => Server.Broadcast!;

    /// <summary>Ends when the server does (its broadcast's input ended and its listeners are done, or it was stopped).</summary>
    public Task Serving => _serving;

    /// <summary>Releases <paramref name="frames"/> frames and waits until the broadcast has published them.</summary>
    public async Task PublishAsync(int frames)
    {
        long target = Broadcast.Ring.Next + frames;
        Source.Release((long)frames * FrameSamples);
        await WaitForAsync(() => Broadcast.Ring.Next >= target, $"frame {target - 1} published");
    }

    public async Task WaitForListenersAsync(int count)
    {
        await Broadcast.Started.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitForAsync(() => Broadcast.Listeners >= count, $"{count} listeners");
    }

    public static async Task WaitForAsync(Func<bool> condition, string what)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("never happened: " + what);
            }

            await Task.Delay(5, CancellationToken.None);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _serving.WaitAsync(TimeSpan.FromSeconds(30));
        await Server.DisposeAsync();
        await Transport.DisposeAsync();
        _stop.Dispose();
    }
}
