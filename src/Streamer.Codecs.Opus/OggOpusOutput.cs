using System.Buffers;
using System.Globalization;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Outputs;
using Streamer.Protocol;

namespace Streamer.Codecs.Opus;

/// <summary>
/// <c>--output FILE.opus</c>: stores the received Opus packets in an Ogg Opus file as they arrive, without
/// re-encoding; the decoded audio is drained and discarded. Lost packets are left out (the file is that much
/// shorter; nothing is invented). The file is finalized with its end-of-stream page on dispose, whatever happened.
/// </summary>
internal sealed class OggOpusOutput : UnclockedOutput, IPacketRecorder
{
    private readonly string _path;
    private readonly FileStream _stream;
    private readonly OggOpusWriter _writer;
    private readonly long _totalSamples;
    private readonly byte[] _scratch = new byte[OggOpusWriter.MaxPacketBytes];
    private bool _disposed;

    /// <summary>Throws <see cref="CodecException"/> when the stream is not Opus: only Opus packets fit an Ogg Opus file.</summary>
    public OggOpusOutput(string path, StreamInfoMessage info)
    {
        if (!OpusCodec.IsOpus(info.Codec))
        {
            throw new CodecException($"{path}: the server streams {info.Codec}, and a .opus file stores Opus packets as received; ask the server for --codec opus, or record to a .wav file");
        }

        int preSkip = ReadInt(info, CodecStreamInfo.PreSkipKey, 0);
        int inputRate = ReadInt(info, "input-rate", info.SampleRate);
        _path = path;
        _totalSamples = info.TotalSamples;
        _stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _writer = new OggOpusWriter(_stream, info.Channels, preSkip, inputRate, (uint)Random.Shared.Next());
    }

    public override string Description => _path;

    /// <summary>Packets stored so far.</summary>
    public long Packets => _writer.Packets;

    /// <summary>Packets that were not valid Opus and were left out.</summary>
    public long Rejected { get; private set; }

    public void RecordPacket(ReadOnlySequence<byte> payload, uint lostBefore)
    {
        if (_disposed)
        {
            return;
        }

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

    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            _writer.Finish(_totalSamples);
            await _stream.DisposeAsync();
        }

        await base.DisposeAsync();
    }

    protected override void Open(AudioFormat format)
    {
    }

    protected override void Write(ReadOnlySpan<byte> pcm)
    {
    }

    private static int ReadInt(StreamInfoMessage info, string key, int fallback)
        => info.Parameters.TryGetValue(key, out string? text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= 0
            ? value
            : fallback;
}
