using System.Buffers;
using System.Globalization;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;
using Streamer.Protocol;

namespace Streamer.Codecs.Opus;

/// <summary>
/// <c>--output FILE.opus</c>: a packet sink (before any decoder in the receiver's chain) that stores the received
/// Opus packets in an Ogg Opus file as they arrive, without decoding or re-encoding. Lost packets are left out (the
/// file is that much shorter; nothing is invented). The file is finalized with its end-of-stream page on dispose,
/// whatever happened.
/// </summary>
public sealed class OggOpusOutput : IPacketSink
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly OggOpusWriter _writer;
    private readonly long _totalSamples;
    private readonly byte[] _scratch = new byte[OggOpusWriter.MaxPacketBytes];
    private readonly PlaybackStats? _stats;
    private readonly int _preSkip;
    private readonly int _sampleRate;
    private long _reportedSamples;
    private bool _disposed;

    /// <summary>Throws <see cref="CodecException"/> when the stream is not Opus: only Opus packets fit an Ogg Opus file.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="info">The stream the server announced.</param>
    /// <param name="stats">Where the recorded duration and latency are counted, as a decoding output would; null for none.</param>
    public OggOpusOutput(string path, StreamInfoMessage info, PlaybackStats? stats = null)
    {
        if (!OpusCodec.IsOpus(info.Codec))
        {
            throw new CodecException($"{path}: the server streams {info.Codec}, and a .opus file stores Opus packets as received; ask the server for --codec opus, or record to a .wav file");
        }

        int preSkip = ReadInt(info, CodecStreamInfo.PreSkipKey, 0);
        int inputRate = ReadInt(info, "input-rate", info.SampleRate);
        _path = path;
        _stats = stats;
        _preSkip = preSkip;
        _sampleRate = info.SampleRate;
        _totalSamples = info.TotalSamples;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _writer = new OggOpusWriter(_stream, info.Channels, preSkip, inputRate, (uint)Random.Shared.Next());
    }

    /// <summary>For messages: the file's path.</summary>
    public string Description => _path;

    /// <summary>Packets stored so far.</summary>
    public long Packets => _writer.Packets;

    /// <summary>Packets that were not valid Opus and were left out.</summary>
    public long Rejected { get; private set; }

    /// <inheritdoc/>
    public ValueTask WriteAsync(ReceivedPacket packet, CancellationToken cancellationToken)
    {
        if (!_disposed)
        {
            Record(packet.Payload);
            Count(packet.SendTimeUs);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Nothing is held back: the end page is written on dispose, with the announced length.</summary>
    public ValueTask CompleteAsync(long lostAtEnd, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    /// <summary>Writes the last page (with the announced length) and closes the file, whatever happened before.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            try
            {
                _writer.Finish(_totalSamples);
                await _stream.DisposeAsync();
            }
            catch (IOException ex)
            {
                throw new IOException($"{_path}: {ex.Message}", ex);
            }
        }
    }

    private void Record(ReadOnlySequence<byte> payload)
    {
        ReadOnlySpan<byte> packet;
        if (payload.IsSingleSegment)
        {
            packet = payload.FirstSpan;
        }
        else if (payload.Length <= _scratch.Length)
        {
            payload.CopyTo(_scratch);
            packet = _scratch.AsSpan(0, (int)payload.Length);
        }
        else
        {
            Rejected++;
            return;
        }

        if (!_writer.WritePacket(packet))
        {
            Rejected++;
        }
    }

    /// <summary>
    /// Counts what a decoder would have played: the granule (48 kHz, pre-skip included) less the pre-skip, up to the
    /// announced length, at the stream's rate; latency when the packet reached the file.
    /// </summary>
    private void Count(long sendTimeUs)
    {
        if (_stats is null)
        {
            return;
        }

        long samples = Math.Max(0, _writer.Granule - _preSkip) * _sampleRate / 48000;
        if (_totalSamples >= 0)
        {
            samples = Math.Min(samples, _totalSamples);
        }

        _stats.AddPlayed(samples - _reportedSamples);
        _reportedSamples = samples;
        _stats.Latency.Record(WallClock.NowMicroseconds() + _stats.ClockOffset.OffsetMicroseconds - sendTimeUs);
    }

    private static int ReadInt(StreamInfoMessage info, string key, int fallback)
        => info.Parameters.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : fallback;
}
