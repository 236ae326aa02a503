using System.IO.Pipelines;
using System.Text;
using Streamer.Codecs.Opus;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Ogg;
using Streamer.Protocol.Threading;
using Streamer.Streaming.Send;

namespace Streamer.Streaming.Http;

/// <summary>
/// One HTTP listener's Ogg Opus stream: fresh headers (OpusHead, OpusTags) with its own serial number, then, each time
/// the feed publishes, one page with every packet between its cursor and the live edge, numbered and timed (page
/// sequence, granule position) for this listener alone. The packets are the feed's bytes: nothing is re-encoded.
/// A listener that falls more than the feed's lag behind skips to the newest packet; its granule counts only what it
/// was sent, so players see one continuous stream. Memory: this object, a scratch buffer that grows to one page.
/// </summary>
internal sealed class OggLiveListener
{
    /// <summary>Packets in one page at most (a listener that catches up sends a page of up to this many).</summary>
    private const int MaxPacketsPerPage = 50;

    /// <summary>Segments left for one more packet: an Opus packet of up to 120 ms takes at most 31 (6 × 1275 bytes).</summary>
    private const int SegmentsPerPacket = 31;

    private static readonly byte[] Vendor = Encoding.ASCII.GetBytes("streamer (live Ogg Opus)");

    private readonly IFrameFeed _feed;
    private readonly int _inputSampleRate;
    private readonly OggListenerStats _stats;
    private readonly AsyncSignal _wake = new(runContinuationsAsynchronously: true);
    private readonly FrameScratch _scratch = new(2048);
    private readonly int[] _lengths = new int[MaxPacketsPerPage];
    private readonly uint _serial = (uint)Random.Shared.Next();
    private uint _sequence;
    private long _granule;
    private long _cursor;

    public OggLiveListener(IFrameFeed feed, int inputSampleRate, OggListenerStats stats)
    {
        _feed = feed;
        _inputSampleRate = inputSampleRate;
        _stats = stats;
    }

    public async Task RunAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        await _feed.Started.WaitAsync(cancellationToken);
        if (_feed.Failure is { } failure)
        {
            throw new IOException(failure);
        }

        var info = _feed.Info;
        // Opus packets always decode at 48 kHz: the granule counts 48 kHz samples (RFC 7845 §4).
        long granuleStep = (long)info.FrameSamples * 48000 / info.SampleRate;
        WriteHeaders(output, info.Channels, (int)Math.Min(ushort.MaxValue, CodecStreamInfo.PreSkipOf(info.Parameters)));
        if (!await FlushAsync(output, cancellationToken))
        {
            return;
        }

        var ring = _feed.Ring;
        using var wakeOnCancel = cancellationToken.UnsafeRegister(static s => ((AsyncSignal)s!).Set(), _wake);
        _feed.Add(_wake);
        try
        {
            _cursor = Math.Max(ring.Oldest, ring.Next - _feed.BurstFrames);
            while (!cancellationToken.IsCancellationRequested)
            {
                long edge = ring.Next;
                if (_cursor < edge)
                {
                    if (edge - _cursor > _feed.MaxLagFrames)
                    {
                        Skip(edge - 1);
                    }

                    while (_cursor < ring.Next)
                    {
                        WritePage(output, ring, granuleStep, last: false);
                    }

                    if (!await FlushAsync(output, cancellationToken))
                    {
                        return;
                    }

                    continue;
                }

                if (_feed.Ended)
                {
                    // The end of the stream: an empty last page, so a player knows it was not cut off.
                    WritePage(output, ring, granuleStep, last: true);
                    await FlushAsync(output, cancellationToken);
                    return;
                }

                await _wake.WaitAsync();
            }
        }
        finally
        {
            _feed.Remove(_wake);
        }
    }

    private void WriteHeaders(PipeWriter output, int channels, int preSkip)
    {
        Span<byte> packet = stackalloc byte[OggOpusHeaders.TagsBytes(Vendor.Length) + OggOpusHeaders.HeadBytes];
        int head = OggOpusHeaders.WriteHead(packet, channels, preSkip, _inputSampleRate);
        WriteRawPage(output, packet[..head], first: true, last: false);
        int tags = OggOpusHeaders.WriteTags(packet, Vendor);
        WriteRawPage(output, packet[..tags], first: false, last: false);
    }

    private void WriteRawPage(PipeWriter output, ReadOnlySpan<byte> packet, bool first, bool last)
    {
        ReadOnlySpan<int> lengths = [packet.Length];
        var page = output.GetSpan(OggPageWriter.PageBytes(lengths, packet.Length));
        int length = OggPageWriter.WritePage(page, _serial, _sequence++, packet, lengths, 0, first, last);
        output.Advance(length);
        _stats.AddPage(length);
    }

    /// <summary>One page of the packets from the cursor on (at most <see cref="MaxPacketsPerPage"/>), or an empty last page.</summary>
    private void WritePage(PipeWriter output, FrameRing ring, long granuleStep, bool last)
    {
        _scratch.Truncate(0);
        int count = 0;
        int segments = 0;
        while (!last && count < MaxPacketsPerPage && segments <= OggPageWriter.MaxSegments - SegmentsPerPacket && _cursor < ring.Next)
        {
            int start = _scratch.Written;
            if (!ring.TryCopy(_cursor, _scratch, out int payloadLength, out _))
            {
                // Lapped (overwritten before we read it): on from the newest packet.
                Skip(Math.Max(_cursor + 1, ring.Next - 1));
                continue;
            }

            _cursor++;
            if (payloadLength == 0)
            {
                continue;
            }

            // The ring holds whole protocol frames: keep only the payload (it ends the frame), packed after the last.
            int frameLength = _scratch.Written - start;
            var written = _scratch.WrittenSpan;
            written.Slice(start + frameLength - payloadLength, payloadLength).CopyTo(written[start..]);
            _scratch.Truncate(start + payloadLength);
            _lengths[count++] = payloadLength;
            segments += OggPageWriter.SegmentsFor(payloadLength);
            _granule += granuleStep;
        }

        if (count == 0 && !last)
        {
            return;
        }

        var data = _scratch.WrittenSpan;
        var lengths = _lengths.AsSpan(0, count);
        var page = output.GetSpan(OggPageWriter.PageBytes(lengths, data.Length));
        int pageLength = OggPageWriter.WritePage(page, _serial, _sequence++, data, lengths, _granule, first: false, last);
        output.Advance(pageLength);
        _stats.AddPage(pageLength);
        _stats.AddPackets(count);
    }

    private void Skip(long index)
    {
        _stats.AddSkipped(index - _cursor);
        _cursor = index;
    }

    /// <summary>False when the client is gone (the response completed or the flush was cancelled).</summary>
    private static async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken);
        return !result.IsCompleted && !result.IsCanceled;
    }
}
