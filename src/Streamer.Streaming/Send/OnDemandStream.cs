using System.Diagnostics;
using Streamer.Protocol;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Metrics;

namespace Streamer.Streaming.Send;

/// <summary>
/// Each client from the start (<c>--mode on-demand</c>): every session opens its own source and packetizer (its own
/// encoder), paced by the server's shared <see cref="PacingClock"/> or as fast as the client takes it.
/// </summary>
internal sealed class OnDemandStream : ISessionStream
{
    private readonly FrameSourceFactory _sources;
    private readonly StreamServerOptions _options;
    private readonly PacingClock? _clock;

    public OnDemandStream(FrameSourceFactory sources, StreamServerOptions options, PacingClock? clock)
    {
        _sources = sources;
        _options = options;
        _clock = clock;
    }

    public string CodecName => _sources.Codec.Name;

    public async Task SendAsync(SessionOutput output, CancellationToken cancellationToken)
    {
        var clock = _clock;
        // PCM sessions run inline on the clock's thread (no extra wake-up; a PCM frame costs microseconds). Encoding
        // sessions hop to the thread pool, so one client's encoder never delays another client's tick.
        var tick = new AsyncSignal(runContinuationsAsynchronously: !_sources.SendsRawPcm);
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), tick);
        // Until the source is open the frame duration is unknown: the clock's slowest period meanwhile.
        clock?.Subscribe(tick, PacingClock.MaxPeriod);
        try
        {
            long startTicks = Stopwatch.GetTimestamp();
            if (clock is not null)
            {
                // Start on a tick, so frames fall due exactly on ticks.
                await tick.WaitAsync();
                startTicks = clock.LastTick;
            }

            var first = await _sources.OpenAsync(cancellationToken);
            // The clock ticks at the frame duration the packetizer actually produces.
            clock?.Subscribe(tick, first.FrameDuration);
            await StreamFromSourcesAsync(output, first, clock is null ? null : tick, startTicks, cancellationToken);
        }
        finally
        {
            clock?.Unsubscribe(tick);
        }
    }

    /// <summary>
    /// Sends <paramref name="first"/>'s frames (then, with <c>--loop</c>, those of a fresh packetizer per pass) and the
    /// end of stream; disposes every packetizer it sends from.
    /// </summary>
    private async Task StreamFromSourcesAsync(SessionOutput output, IPacketizer first, AsyncSignal? tick, long startTicks, CancellationToken cancellationToken)
    {
        var sender = output.Sender;
        uint sequence = 0;
        ulong timestamp = 0;
        IPacketizer? next = first;
        // Presentation times only for a paced stream: one sent as fast as possible has no "now" to schedule from.
        var stamp = tick is not null && _options.LatencyFor(StreamMode.OnDemand) is { } latency ? new PresentationStamp(latency, first.Info.SampleRate) : null;
        do
        {
            await using var source = next ?? await _sources.OpenAsync(cancellationToken);
            if (next is not null)
            {
                // A looping stream has no end: announce its length as unknown, or receivers would trim it to one pass.
                var info = _options.Loop ? source.Info with { TotalSamples = -1 } : source.Info;
                await SessionOutput.SendOrThrowAsync(sender.SendAsync(info, cancellationToken));
                next = null;
            }

            if (stamp is not null)
            {
                source.StampWith(stamp);
            }

            double rate = source.Info.SampleRate;
            var content = new SourceContent(timestamp, source.Info);
            while (await source.MoveNextAsync(cancellationToken))
            {
                if (tick is not null)
                {
                    double dueSeconds = timestamp / rate;
                    while (Stopwatch.GetElapsedTime(startTicks).TotalSeconds < dueSeconds)
                    {
                        await tick.WaitAsync();
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    double lagSeconds = Stopwatch.GetElapsedTime(startTicks).TotalSeconds - dueSeconds;
                    if (lagSeconds > _options.MaxLag.TotalSeconds)
                    {
                        // The client cannot keep up: skip this frame so the stream stays live and memory bounded.
                        output.FramesDropped++;
                        ServerMetrics.FramesSkipped.Add(1);
                        StreamingLog.DroppedToCatchUp(output.Logger, output.Remote, lagSeconds * 1000, 1);
                        sequence++;
                        timestamp += (ulong)source.CurrentSamples;
                        continue;
                    }
                }

                long length = source.Current.Length;
                output.BeginSend();
                await SessionOutput.SendOrThrowAsync(sender.SendAudioAsync(sequence, timestamp, source.CurrentPresentationTimeUs, source.Current, flush: tick is not null, cancellationToken));
                output.EndSend();
                output.FramesSent++;
                output.SamplesSent += content.SamplesIn(timestamp, source.CurrentSamples);
                output.BytesSent += length;
                ServerMetrics.FramesSent.Add(1);
                ServerMetrics.BytesSent.Add(length);
                sequence++;
                timestamp += (ulong)source.CurrentSamples;
            }
        }
        while (_options.Loop && !cancellationToken.IsCancellationRequested);

        // What this client got (skipped frames excluded), and the stream's length for concealing a skipped tail.
        await SessionOutput.SendOrThrowAsync(sender.SendAsync(new EndOfStreamMessage(output.FramesSent, output.SamplesSent, sequence), cancellationToken));
    }
}
