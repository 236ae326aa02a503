using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// A live input read from one stream to its end: standard input, or any <see cref="Stream"/> or
/// <see cref="PipeReader"/>, carrying a WAV stream of unknown length or raw PCM. Paced by its writer, and never
/// faster than real time plus <see cref="RealTimePacer.DefaultLead"/>; blocks are slices of the pipe (no copy).
/// </summary>
public sealed class StreamInputSource : IAudioSource
{
    /// <summary>Bytes read from the stream per read: a pipe's whole buffer.</summary>
    public const int ReadSize = 64 * 1024;

    private readonly PcmBlockReader _blocks;
    private readonly RealTimePacer? _pacer;
    private readonly ILogger _logger;
    private readonly string _name;
    private bool _reported;

    private StreamInputSource(PcmBlockReader blocks, AudioFormat format, string name, InputPacing pacing, ILogger logger)
    {
        _blocks = blocks;
        Format = format;
        _name = name;
        _logger = logger;
        _pacer = pacing.RealTime ? new RealTimePacer(format.SampleRate, pacing.Lead, pacing.Clock) : null;
    }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>Always null: a stream's length is known only when it ends.</summary>
    public long? TotalFrames => null;

    /// <summary>Reads the WAV header from <paramref name="reader"/> (which the source then owns); bad headers throw <see cref="InvalidWavException"/>.</summary>
    public static async Task<IAudioSource> OpenWavAsync(PipeReader reader, string name, InputPacing pacing, ILogger logger, CancellationToken cancellationToken)
    {
        try
        {
            var (format, limit) = await WavStreamHeader.ReadAsync(reader, name, cancellationToken);
            return new StreamInputSource(new PcmBlockReader(reader, format.BlockAlign, limit), format, name, pacing, logger);
        }
        catch
        {
            await reader.CompleteAsync();
            throw;
        }
    }

    /// <summary>Raw interleaved PCM in <paramref name="format"/> from <paramref name="reader"/> (which the source then owns).</summary>
    public static IAudioSource OpenRaw(PipeReader reader, AudioFormat format, string name, InputPacing pacing, ILogger logger)
        => new StreamInputSource(new PcmBlockReader(reader, format.BlockAlign, limitBytes: null), format, name, pacing, logger);

    /// <summary>A pipe reader over <paramref name="stream"/> that closes it when done.</summary>
    public static PipeReader Pipe(Stream stream)
        => PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: ReadSize, minimumReadSize: ReadSize / 4, leaveOpen: false));

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        var block = await _blocks.ReadAsync(frames, cancellationToken);
        if (block.IsEmpty)
        {
            ReportEnd();
            return block;
        }

        if (_pacer is not null)
        {
            await _pacer.DeliverAsync((int)(block.Length / Format.BlockAlign), cancellationToken);
        }

        return block;
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _pacer?.Dispose();
        await _blocks.DisposeAsync();
    }

    private void ReportEnd()
    {
        if (!_reported && _blocks.PartialFrameBytes > 0)
        {
            _reported = true;
            InputLog.PartialFrame(_logger, _name, _blocks.PartialFrameBytes, Format.BlockAlign);
        }
    }
}
