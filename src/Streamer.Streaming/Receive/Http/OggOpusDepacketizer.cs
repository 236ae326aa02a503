using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Ogg;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Streaming.Receive.Http;

/// <summary>
/// The head of the receiver's sink chain for an Ogg Opus byte stream (an HTTP stream): takes Ogg pages, reads the
/// OpusHead and skips OpusTags, reassembles packets (across pages when they span them) and hands each Opus packet
/// on as a <see cref="ReceivedPacket"/>, as <see cref="Depacketizer"/> does for the native protocol. Ogg has no
/// packet sequence numbers: continuity comes from the page sequence numbers and the granule positions
/// (docs/playback.md, "HTTP streams"): a page-number gap or a granule jump counts the missing packets as lost (they
/// are concealed), a page number already passed or media time already played counts its packets as late (dropped).
/// Each packet's send time is its page's arrival less the media time that follows it on the page, so latency counts
/// the page's own buffering too. Allocates nothing per page; a packet that spans pages is copied into one reused buffer.
/// </summary>
internal sealed class OggOpusDepacketizer
{
    /// <summary>No Opus packet comes near this (120 ms of 510 kbit/s is 7.6 KB): a larger one is not Opus.</summary>
    private const int MaxPacketBytes = 64 * 1024;

    private readonly Func<OpusHead, int, long, IPacketSink> _start;
    private readonly PlaybackStats _stats;
    private readonly byte[] _lacing = new byte[255];
    private readonly int[] _offsets = new int[255];
    private readonly int[] _lengths = new int[255];
    private readonly int[] _durations = new int[255];
    private readonly LiveEdge _edge = new();
    private byte[] _partial = ArrayPool<byte>.Shared.Rent(8 * 1024);
    private int _partialLength;
    private OpenPacket _open;
    private bool _firstFromPartial;
    private int _trailingOffset;
    private int _trailingLength;

    private bool _hasStream;
    private uint _serial;
    private OpusHead _head;
    private int _headerPacketsLeft;
    private uint _expectedPage;
    private long _nextGranule = -1;
    private long _firstGranule = -1;
    private uint _sequence;
    private uint _lostBefore;
    private int _frameSamples;

    /// <param name="start">Builds the sink chain once the stream's head and its first packet's duration are known.</param>
    /// <param name="stats">Where packets, loss and lateness are counted.</param>
    public OggOpusDepacketizer(Func<OpusHead, int, long, IPacketSink> start, PlaybackStats stats)
    {
        _start = start;
        _stats = stats;
    }

    private enum OpenPacket
    {
        None,
        Header,
        Audio,
        Discard,
    }

    /// <summary>The sink chain, once the first audio packet came (null before): the caller disposes it.</summary>
    public IPacketSink? Sink { get; private set; }

    /// <summary>The identification header of the current logical stream, once it came.</summary>
    public OpusHead? Head => _hasStream ? _head : null;

    /// <summary>Pages that went missing (page-number gaps).</summary>
    public long PagesLost { get; private set; }

    /// <summary>
    /// A live stream to a clocked output: audio that arrives further ahead of the wall clock than the longest page
    /// plus <see cref="LiveEdge.SlackUs"/> (Icecast's burst on connect, a backlog after a stall) is dropped as late, so
    /// playout stays at the live edge instead of seconds behind it (<see cref="LiveEdge"/>). Off for files and
    /// recordings (everything is played).
    /// </summary>
    public bool SkipToLiveEdge { get; set; }

    /// <summary>True after a page with the end-of-stream flag (a chained stream's next head clears it).</summary>
    public bool Ended { get; private set; }

    /// <summary>Takes one page (valid only during the call) that arrived at <paramref name="arrivalUs"/> on our clock.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public async ValueTask AcceptAsync(OggPage page, ReadOnlySequence<byte> bytes, long arrivalUs, CancellationToken cancellationToken)
    {
        if (page.BeginsStream)
        {
            BeginStream(page, bytes);
            return;
        }

        if (!_hasStream || page.Serial != _serial)
        {
            // Another logical stream multiplexed in (a skeleton, a video track): not ours to play.
            return;
        }

        int gap = unchecked((int)(page.Sequence - _expectedPage));
        if (gap < 0)
        {
            // A page number already passed: its packets come too late to play.
            CountLate(page, bytes);
            return;
        }

        _expectedPage = page.Sequence + 1;
        if (gap > 0)
        {
            PagesLost += gap;
            // Whatever packet was open lost its middle; a lost page always took at least one packet with it.
            _open = _open == OpenPacket.None ? OpenPacket.None : OpenPacket.Discard;
            _partialLength = 0;
            _lostBefore += 1;
        }

        int count = Split(page, bytes);
        await DeliverAsync(page, bytes, count, arrivalUs, cancellationToken);
        KeepTrailing(bytes);
        if (page.EndsStream)
        {
            Ended = true;
        }
    }

    /// <summary>Returns the reassembly buffer to the pool.</summary>
    public void Release()
    {
        ArrayPool<byte>.Shared.Return(_partial);
        _partial = [];
    }

    private void BeginStream(in OggPage page, in ReadOnlySequence<byte> bytes)
    {
        OggPageParser.CopyLacing(bytes, page, _lacing);
        int length = page.Segments > 0 ? _lacing[0] : 0;
        var packet = bytes.Slice(page.HeaderLength, Math.Min(length, bytes.Length - page.HeaderLength));
        if (OpusOggHeaders.Identify(packet) is { } kind && kind != "Opus")
        {
            throw new CodecException($"the stream is Ogg {kind}, not Ogg Opus: only Opus is played from HTTP");
        }

        if (!OpusOggHeaders.TryReadHead(packet, out var head))
        {
            throw new CodecException("the stream is Ogg, but its first page is not an Ogg Opus header (OpusHead)");
        }

        if (head.MappingFamily != 0 || head.Channels > 2)
        {
            throw new CodecException($"the Ogg Opus stream has {head.Channels} channels (mapping family {head.MappingFamily}): only mono and stereo are played");
        }

        if (Sink is not null && head.Channels != _head.Channels)
        {
            throw new ProtocolException($"the stream changed from {_head.Channels} to {head.Channels} channels mid-stream");
        }

        // A chained stream starts afresh: new serial, new page numbers, its own granule origin.
        _hasStream = true;
        _head = head;
        _serial = page.Serial;
        _expectedPage = page.Sequence + 1;
        _headerPacketsLeft = 1;
        _nextGranule = -1;
        _open = OpenPacket.None;
        _partialLength = 0;
        Ended = false;
    }

    /// <summary>Walks the lacing table: the audio packets that end on this page, and the packet left open at its end.</summary>
    private int Split(in OggPage page, in ReadOnlySequence<byte> bytes)
    {
        OggPageParser.CopyLacing(bytes, page, _lacing);
        int count = 0;
        int at = page.HeaderLength;
        int runStart = at;
        int runLength = 0;
        bool continuation = page.Continued;
        if (!continuation && _open != OpenPacket.None)
        {
            // The previous page left a packet open and this one does not continue it: it is gone.
            if (_open == OpenPacket.Audio)
            {
                _lostBefore++;
            }

            _open = OpenPacket.None;
            _partialLength = 0;
        }

        _firstFromPartial = false;
        _trailingLength = 0;
        for (int i = 0; i < page.Segments; i++)
        {
            int lace = _lacing[i];
            runLength += lace;
            at += lace;
            if (lace == 255)
            {
                continue;
            }

            var kind = continuation ? (_open == OpenPacket.None ? OpenPacket.Discard : _open) : NextKind();
            if (kind == OpenPacket.Audio)
            {
                if (continuation)
                {
                    Append(bytes.Slice(runStart, runLength));
                    _firstFromPartial = count == 0;
                    _offsets[count] = -1;
                    _lengths[count] = _partialLength;
                }
                else
                {
                    _offsets[count] = runStart;
                    _lengths[count] = runLength;
                }

                count++;
            }

            _open = OpenPacket.None;
            continuation = false;
            runStart = at;
            runLength = 0;
        }

        if (runLength > 0 || (page.Segments > 0 && _lacing[page.Segments - 1] == 255))
        {
            // A packet goes on to the next page.
            var kind = continuation ? (_open == OpenPacket.None ? OpenPacket.Discard : _open) : NextKind();
            if (kind == OpenPacket.Audio)
            {
                _trailingOffset = runStart;
                _trailingLength = runLength;
            }

            _open = kind;
        }

        return count;
    }

    private OpenPacket NextKind()
    {
        if (_headerPacketsLeft > 0)
        {
            _headerPacketsLeft--;
            return OpenPacket.Header;
        }

        return OpenPacket.Audio;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask DeliverAsync(OggPage page, ReadOnlySequence<byte> bytes, int count, long arrivalUs, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return;
        }

        long total = 0;
        for (int i = 0; i < count; i++)
        {
            _durations[i] = OpusOggHeaders.PacketSamples(Payload(bytes, i));
            total += _durations[i];
        }

        // The page's granule is the end of its last packet; the last page of a stream may trim it (end padding), so
        // there the packets are placed after the previous ones instead.
        long start = page.GranulePosition >= 0 && !(page.EndsStream && _nextGranule >= 0) ? page.GranulePosition - total : _nextGranule;
        if (start < 0 && _nextGranule < 0)
        {
            start = 0;
        }

        long pageEnd = start + total;
        _edge.AddPage(total);
        for (int i = 0; i < count; i++)
        {
            var payload = Payload(bytes, i);
            long packetStart = start;
            start += _durations[i];
            _stats.AddPacket((int)payload.Length);
            if (Sink is null)
            {
                _frameSamples = _durations[i] > 0 ? _durations[i] : 960;
                Sink = _start(_head, _frameSamples, packetStart);
                _firstGranule = packetStart;
                _nextGranule = packetStart;
                _lostBefore = 0;
            }

            if (_nextGranule >= 0 && packetStart < _nextGranule)
            {
                // Media time already played: too late (a repeated or overlapping page).
                _stats.AddLate();
                continue;
            }

            if (SkipToLiveEdge && _edge.IsBehind(arrivalUs, _durations[i]))
            {
                // Behind the live edge: dropped like a late packet, and the media clock moves on past it.
                _stats.AddLate();
                _nextGranule = packetStart + _durations[i];
                continue;
            }

            uint lost = _lostBefore;
            if (_nextGranule >= 0 && packetStart > _nextGranule)
            {
                // A granule jump: the packets that would have filled it are missing.
                long missing = (packetStart - _nextGranule + (_frameSamples / 2)) / _frameSamples;
                lost = (uint)Math.Max(lost, Math.Min(missing, uint.MaxValue / 2));
            }

            _lostBefore = 0;
            if (lost > 0)
            {
                _stats.AddLost(lost);
                _sequence += lost;
            }

            _nextGranule = packetStart + _durations[i];
            long sendTimeUs = arrivalUs - ((pageEnd - _nextGranule) * 1_000_000 / OpusOggHeaders.GranuleRate);
            var packet = new ReceivedPacket(_sequence++, (ulong)Math.Max(0, packetStart - _firstGranule), sendTimeUs, payload, lost);
            await Sink.WriteAsync(packet, cancellationToken);
        }
    }

    private ReadOnlySequence<byte> Payload(in ReadOnlySequence<byte> bytes, int index)
        => index == 0 && _firstFromPartial
            ? new ReadOnlySequence<byte>(_partial, 0, _partialLength)
            : bytes.Slice(_offsets[index], _lengths[index]);

    /// <summary>After delivery (the first packet may have been in the buffer): keeps the start of the packet left open.</summary>
    private void KeepTrailing(in ReadOnlySequence<byte> bytes)
    {
        if (_firstFromPartial)
        {
            _partialLength = 0;
            _firstFromPartial = false;
        }

        if (_open == OpenPacket.Audio && _trailingLength > 0)
        {
            Append(bytes.Slice(_trailingOffset, _trailingLength));
        }
    }

    private void Append(in ReadOnlySequence<byte> piece)
    {
        int needed = _partialLength + (int)piece.Length;
        if (needed > MaxPacketBytes)
        {
            throw new ProtocolException($"the stream holds a packet of over {MaxPacketBytes / 1024} KiB: not Opus audio");
        }

        if (needed > _partial.Length)
        {
            // Grows once to the largest packet that spans pages; steady state reuses it.
            var larger = ArrayPool<byte>.Shared.Rent(needed);
            _partial.AsSpan(0, _partialLength).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_partial);
            _partial = larger;
        }

        piece.CopyTo(_partial.AsSpan(_partialLength));
        _partialLength = needed;
    }

    private void CountLate(in OggPage page, in ReadOnlySequence<byte> bytes)
    {
        OggPageParser.CopyLacing(bytes, page, _lacing);
        for (int i = 0; i < page.Segments; i++)
        {
            if (_lacing[i] < 255)
            {
                _stats.AddLate();
            }
        }
    }
}
