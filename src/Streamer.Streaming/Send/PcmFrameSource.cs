using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Media;
using Streamer.Media.Codecs;
using Streamer.Media.Containers.Wav;
using Streamer.Protocol;

namespace Streamer.Streaming.Send;

/// <summary>PCM frames as slices of the WAV file's pipe: the file's bytes go to the socket without an extra copy.</summary>
internal sealed class PcmFrameSource : IAudioFrameSource
{
    private readonly WavReader _reader;
    private readonly int _frameBytes;

    public PcmFrameSource(WavReader reader, int frameSamples)
    {
        _reader = reader;
        _frameBytes = frameSamples * reader.Format.BlockAlign;
        var format = reader.Format;
        long total = reader.Header.DataLength < 0 ? -1 : reader.Header.DataLength / format.BlockAlign;
        Info = new StreamInfoMessage(PcmCodec.CodecName, format.SampleRate, format.Channels, format.Encoding.WireName(), frameSamples, format.ChannelMask, total, new Dictionary<string, string>());
    }

    public StreamInfoMessage Info { get; }

    public ReadOnlySequence<byte> Current { get; private set; }

    public int CurrentSamples { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        _reader.Consume();
        Current = await _reader.ReadAsync(_frameBytes, cancellationToken);
        CurrentSamples = (int)(Current.Length / _reader.Format.BlockAlign);
        return !Current.IsEmpty;
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
