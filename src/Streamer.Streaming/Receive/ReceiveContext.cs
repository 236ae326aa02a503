using Microsoft.Extensions.Logging;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive;

/// <summary>
/// What the caller's sink factory (<see cref="StreamClientOptions.CreateSink"/>) gets once the server announced its
/// stream, and the standard chains it can build from it: a packet sink of its own (a recording that wants the
/// packets), or the decoder stage in front of an unclocked output (<see cref="Decode(IUnclockedOutput)"/>) or of a
/// jitter buffer a clocked output plays from (<see cref="Decode(Func{AudioFormat, IClockedOutput}, JitterBufferOptions, IPlayoutLog)"/>).
/// The decoder is made only by those two: a chain without one never decodes.
/// </summary>
public sealed class ReceiveContext : IDisposable
{
    private readonly Func<StreamInfoMessage, IAudioDecoder> _createDecoder;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _abort;

    internal ReceiveContext(StreamInfoMessage info, ReceivedStream stream, Func<StreamInfoMessage, IAudioDecoder> createDecoder, ILogger logger, CancellationToken cancellationToken)
    {
        Info = info;
        Stream = stream;
        _createDecoder = createDecoder;
        _logger = logger;
        CancellationToken = cancellationToken;
        _abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>The stream the server announced.</summary>
    public StreamInfoMessage Info { get; }

    /// <summary>The stream's live figures; stages count into <see cref="ReceivedStream.Stats"/>.</summary>
    public ReceivedStream Stream { get; }

    /// <summary>The stream's cancellation (Ctrl+C).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Fires on cancellation, or when a stage called <see cref="Fail"/>: what the receive loop waits with.</summary>
    internal CancellationToken Aborted => _abort.Token;

    /// <summary>The failure a stage reported from its own thread (an output that failed), or null.</summary>
    internal Exception? Failure { get; private set; }

    /// <summary>A stage that runs on its own thread failed: stop the receive loop (the chain's disposal reports it).</summary>
    public void Fail(Exception error)
    {
        Failure ??= error;
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>The caller's own packet sink is the whole chain (a recording of the packets): nothing is decoded.</summary>
    public IPacketSink Packets(IPacketSink sink, string description)
    {
        Stream.OutputDescription = description;
        return sink;
    }

    /// <summary>Decoder stage → <paramref name="output"/>, written on the receive thread. The chain owns the output.</summary>
    public IPacketSink Decode(IUnclockedOutput output)
    {
        try
        {
            var decoder = _createDecoder(Info);
            Stream.OutputDescription = output.Description;
            return Chain(decoder, () => new UnclockedOutputSink(output, decoder.OutputFormat, Stream.Stats));
        }
        catch
        {
            // The chain never came to own it: finalize it here; the first error is the news.
            try
            {
                output.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
            catch (IOException)
            {
            }

            throw;
        }
    }

    /// <summary>
    /// Decoder stage → jitter buffer → the clocked output <paramref name="createOutput"/> makes for the decoded format
    /// (a device opens at it). The output plays on its own thread from the start; the chain owns it.
    /// </summary>
    /// <param name="createOutput">Makes the output for the decoded format.</param>
    /// <param name="jitter">The jitter buffer's options (and whether to follow presentation times).</param>
    /// <param name="log">Told when each frame begins to play (<c>--playout-log</c>), or null.</param>
    public IPacketSink Decode(Func<AudioFormat, IClockedOutput> createOutput, JitterBufferOptions jitter, IPlayoutLog? log = null)
    {
        var decoder = _createDecoder(Info);
        return Chain(decoder, () =>
        {
            double frameMs = Info.FrameSamples * 1000.0 / Info.SampleRate;
            if (jitter.LargestTargetMilliseconds < frameMs)
            {
                StreamingLog.TargetBelowPacket(_logger, jitter.LargestTargetMilliseconds, frameMs);
            }

            var output = createOutput(decoder.OutputFormat);
            Stream.OutputDescription = output.Description;
            var buffer = new JitterBuffer(decoder.OutputFormat, jitter, Stream.Stats, log);
            Stream.Buffer = buffer;
            return new ClockedOutputSink(output, buffer, Fail, CancellationToken);
        });
    }

    /// <summary>Releases the abort token source.</summary>
    public void Dispose() => _abort.Dispose();

    private FrameDecoder Chain(IAudioDecoder decoder, Func<IPcmOutputSink> createSink)
    {
        try
        {
            return new FrameDecoder(decoder, Info, createSink(), Stream.Stats);
        }
        catch
        {
            decoder.Dispose();
            throw;
        }
    }
}
