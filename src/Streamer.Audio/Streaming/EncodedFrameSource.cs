using System.Buffers;
using System.Runtime.CompilerServices;
using Streamer.Audio.Codecs;
using Streamer.Audio.Wav;
using Streamer.Core.Protocol;

namespace Streamer.Audio.Streaming;

/// <summary>
/// Frames from an encoder: each block of PCM is encoded into a reused packet buffer. The source must already be in
/// the encoder's input layout (conversion and resampling are the codec's job upstream).
/// </summary>
public sealed class EncodedFrameSource : IAudioFrameSource
{
    private readonly WavReader _reader;
    private readonly IAudioEncoder _encoder;
    private readonly string _codecName;
    private readonly byte[] _block;
    private readonly byte[] _packet;
    private readonly int _blockBytes;

    public EncodedFrameSource(WavReader reader, IAudioEncoder encoder, string codecName)
    {
        if (reader.Format != encoder.InputFormat)
        {
            throw new CodecException($"{codecName} takes {encoder.InputFormat}, the source is {reader.Format}");
        }

        _reader = reader;
        _encoder = encoder;
        _codecName = codecName;
        _blockBytes = encoder.FrameSamples * encoder.InputFormat.BlockAlign;
        _block = GC.AllocateUninitializedArray<byte>(_blockBytes);
        _packet = GC.AllocateUninitializedArray<byte>(encoder.MaxPacketBytes);
        var format = encoder.InputFormat;
        long total = reader.Header.DataLength < 0 ? -1 : reader.Header.DataLength / format.BlockAlign;
        Info = new StreamInfoMessage(codecName, format.SampleRate, format.Channels, format.Encoding.WireName(), encoder.FrameSamples, format.ChannelMask, total, encoder.Parameters);
    }

    public StreamInfoMessage Info { get; }

    public ReadOnlySequence<byte> Current { get; private set; }

    public int CurrentSamples { get; private set; }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        _reader.Consume();
        var pcm = await _reader.ReadAsync(_blockBytes, cancellationToken);
        if (pcm.IsEmpty)
        {
            Current = ReadOnlySequence<byte>.Empty;
            return false;
        }

        pcm.CopyTo(_block);
        _block.AsSpan((int)pcm.Length).Clear();
        CurrentSamples = (int)(pcm.Length / _encoder.InputFormat.BlockAlign);
        int length = _encoder.Encode(_block, _packet);
        Current = new ReadOnlySequence<byte>(_packet, 0, length);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _encoder.Dispose();
        await _reader.DisposeAsync();
    }

    public override string ToString() => _codecName;
}
