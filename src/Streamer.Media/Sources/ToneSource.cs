using System.Buffers;
using System.Buffers.Binary;

namespace Streamer.Media.Sources;

/// <summary>
/// The demo's test signal (<see cref="TestSignal"/>: 440 Hz and 1 kHz, 16-bit stereo) generated as it is read:
/// endless, or <see cref="TotalFrames"/> long with the same fade out, sample for sample what
/// <see cref="TestSignal.CreateWav"/> writes. Generated instantly: whoever reads it paces it (the engine's clock).
/// </summary>
public sealed class ToneSource : IAudioSource
{
    private readonly long? _frames;
    private readonly int _fade;
    private byte[] _block = [];
    private long _position;

    /// <param name="seconds">How long, or null for an endless signal.</param>
    /// <param name="sampleRate">Sample frames per second.</param>
    public ToneSource(double? seconds, int sampleRate = 48000)
    {
        Format = new AudioFormat(sampleRate, 2, SampleEncoding.Int16);
        _frames = seconds is { } s ? (long)(s * sampleRate) : null;
        // The fade in (and, when finite, out) of the demo's WAV: 20 ms, shorter for a signal under 40 ms.
        _fade = (int)Math.Min((_frames ?? long.MaxValue) / 2, sampleRate / 50);
    }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public long? TotalFrames => _frames;

    /// <inheritdoc/>
    public ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        long count = _frames is { } total ? Math.Min(frames, total - _position) : frames;
        if (count <= 0)
        {
            return ValueTask.FromResult(ReadOnlySequence<byte>.Empty);
        }

        int bytes = (int)count * Format.BlockAlign;
        if (_block.Length < bytes)
        {
            _block = new byte[bytes];
        }

        Generate(_block.AsSpan(0, bytes));
        return ValueTask.FromResult(new ReadOnlySequence<byte>(_block, 0, bytes));
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private void Generate(Span<byte> samples)
    {
        int rate = Format.SampleRate;
        double fade = Math.Max(1, _fade);
        for (int offset = 0; offset < samples.Length; offset += 4, _position++)
        {
            // The same arithmetic as TestSignal.CreateWav, so a finite tone is bit-exact with the demo's file.
            long i = _position;
            double t = (double)i / rate;
            long fromEnd = _frames is { } total ? total - 1 - i : long.MaxValue;
            double envelope = Math.Min(1.0, Math.Min(i, fromEnd) / fade);
            double a = Math.Sin(2 * Math.PI * TestSignal.FirstToneHz * t);
            double b = Math.Sin(2 * Math.PI * TestSignal.SecondToneHz * t);
            short left = (short)Math.Round(envelope * 16000 * ((0.7 * a) + (0.3 * b)));
            short right = (short)Math.Round(envelope * 16000 * ((0.3 * a) + (0.7 * b)));
            BinaryPrimitives.WriteInt16LittleEndian(samples[offset..], left);
            BinaryPrimitives.WriteInt16LittleEndian(samples[(offset + 2)..], right);
        }
    }
}
