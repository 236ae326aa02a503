using Concentus.Structs;
using Streamer.Media.Containers.Ogg;

namespace Streamer.Codecs.Opus;

/// <summary>
/// Writes Opus packets into an Ogg Opus file (RFC 7845) without re-encoding: an OpusHead page with the pre-skip, an
/// OpusTags page, then audio pages whose granule positions count 48 kHz samples including the pre-skip. The last
/// page carries the end-of-stream flag and a granule trimmed to the real length, so players drop the padding.
/// </summary>
internal sealed class OggOpusWriter
{
    /// <summary>Packets kept back from every page so the final page can always absorb the end trimming.</summary>
    private const int HoldBack = 16;
    private const int PagePackets = 50;
    private const int MaxPending = PagePackets + HoldBack;

    private readonly OggPageWriter _pages;
    private readonly int _preSkip;
    private readonly byte[] _data = new byte[MaxPending * MaxPacketBytes];
    private readonly int[] _lengths = new int[MaxPending];
    private readonly long[] _granules = new long[MaxPending];
    private int _pendingPackets;
    private int _pendingBytes;
    private long _granule;
    private bool _finished;

    public OggOpusWriter(Stream stream, int channels, int preSkip, int inputSampleRate, uint serial)
    {
        _pages = new OggPageWriter(stream, serial);
        _preSkip = preSkip;
        Span<byte> head = stackalloc byte[OggOpusHeaders.HeadBytes];
        OggOpusHeaders.WriteHead(head, channels, preSkip, inputSampleRate);
        _pages.WritePage(head, [head.Length], 0, first: true, last: false);

        ReadOnlySpan<byte> vendor = "streamer (Ogg Opus recording of received packets)"u8;
        Span<byte> tags = stackalloc byte[OggOpusHeaders.TagsBytes(vendor.Length)];
        OggOpusHeaders.WriteTags(tags, vendor);
        _pages.WritePage(tags, [tags.Length], 0, first: false, last: false);
    }

    /// <summary>Largest packet accepted: one Opus packet holds up to 120 ms, at most 1275 bytes a frame.</summary>
    public const int MaxPacketBytes = 6 * 1275;

    public long Packets { get; private set; }

    /// <summary>Samples (48 kHz, per channel) of the packets written, pre-skip included.</summary>
    public long Granule => _granule;

    /// <summary>Appends one packet; false (and nothing written) when it is not a valid Opus packet.</summary>
    public bool WritePacket(ReadOnlySpan<byte> packet)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (packet.IsEmpty || packet.Length > MaxPacketBytes)
        {
            return false;
        }

        int samples;
        try
        {
            samples = OpusPacketInfo.GetNumSamples(packet, 48000);
        }
        catch (Concentus.OpusException)
        {
            return false;
        }

        if (samples <= 0)
        {
            return false;
        }

        if (_pendingPackets == MaxPending)
        {
            FlushPage();
        }

        packet.CopyTo(_data.AsSpan(_pendingBytes));
        _pendingBytes += packet.Length;
        _granule += samples;
        _lengths[_pendingPackets] = packet.Length;
        _granules[_pendingPackets] = _granule;
        _pendingPackets++;
        Packets++;
        if (_pendingPackets == MaxPending)
        {
            FlushPage();
        }

        return true;
    }

    /// <summary>
    /// Writes the last page(s) with the end-of-stream flag. <paramref name="totalSamples"/> (48 kHz, per channel,
    /// without pre-skip) trims the padding of the last packet; -1 when unknown.
    /// </summary>
    public void Finish(long totalSamples)
    {
        if (_finished)
        {
            return;
        }

        while (PendingSegments() > OggPageWriter.MaxSegments)
        {
            FlushPage();
        }

        if (_pendingPackets == 0)
        {
            _pages.WritePage(ReadOnlySpan<byte>.Empty, ReadOnlySpan<int>.Empty, _granule, first: false, last: true);
        }
        else
        {
            long end = totalSamples >= 0 ? Math.Min(_granule, _preSkip + totalSamples) : _granule;
            _pages.WritePage(_data.AsSpan(0, _pendingBytes), _lengths.AsSpan(0, _pendingPackets), end, first: false, last: true);
        }

        _finished = true;
    }

    private void FlushPage()
    {
        // Take as many of the oldest packets as fit one page, leaving HoldBack for the final page.
        int take = 0;
        int segments = 0;
        while (take < _pendingPackets - HoldBack && segments + OggPageWriter.SegmentsFor(_lengths[take]) <= OggPageWriter.MaxSegments)
        {
            segments += OggPageWriter.SegmentsFor(_lengths[take]);
            take++;
        }

        if (take == 0)
        {
            return;
        }

        int bytes = 0;
        for (int i = 0; i < take; i++)
        {
            bytes += _lengths[i];
        }

        _pages.WritePage(_data.AsSpan(0, bytes), _lengths.AsSpan(0, take), _granules[take - 1], first: false, last: false);
        _data.AsSpan(bytes, _pendingBytes - bytes).CopyTo(_data);
        _lengths.AsSpan(take, _pendingPackets - take).CopyTo(_lengths);
        _granules.AsSpan(take, _pendingPackets - take).CopyTo(_granules);
        _pendingBytes -= bytes;
        _pendingPackets -= take;
    }

    private int PendingSegments()
    {
        int segments = 0;
        for (int i = 0; i < _pendingPackets; i++)
        {
            segments += OggPageWriter.SegmentsFor(_lengths[i]);
        }

        return segments;
    }
}
