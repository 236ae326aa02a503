using System.Buffers;
using System.IO.Pipelines;
using System.IO.Pipes;
using System.Runtime.CompilerServices;
using Microsoft.Win32.SafeHandles;
using Microsoft.Extensions.Logging;
using Streamer.Media.Containers.Wav;

namespace Streamer.Media.Sources.Live;

/// <summary>
/// A named pipe (FIFO) that a music player writes into, raw PCM or a WAV stream per writer: when the writer goes away
/// the FIFO is opened again for the next one, and meanwhile the source sends silence or nothing (<see cref="FifoGap"/>).
/// The source never ends by itself. Paced by the writer, never faster than real time plus the pacing lead; silence is
/// paced by the same clock.
/// </summary>
/// <remarks>
/// A block a writer leaves unfinished is completed with silence. A later writer of a WAV FIFO must send the first
/// writer's format; one that does not is refused (its stream is closed, so it sees EPIPE) and the gap goes on.
/// </remarks>
public sealed class FifoSource : IAudioSource
{
    private readonly string _path;
    private readonly string _name;
    private readonly bool _wav;
    private readonly FifoGap _gap;
    private readonly bool _paceData;
    private readonly RealTimePacer _pacer;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private PcmBlockReader? _writer;
    private Task<PcmBlockReader?>? _opening;
    private byte[] _scratch = [];
    private bool _inGap;

    private FifoSource(string path, string name, AudioFormat format, bool wav, FifoGap gap, InputPacing pacing, ILogger logger)
    {
        _path = path;
        _name = name;
        Format = format;
        _wav = wav;
        _gap = gap;
        _paceData = pacing.RealTime;
        // Silence has no writer to pace it: the pacer's clock always runs, even for an unpaced input.
        _pacer = new RealTimePacer(format.SampleRate, pacing.RealTime ? pacing.Lead : RealTimePacer.DefaultLead, pacing.Clock);
        _logger = logger;
    }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <inheritdoc/>
    public long? TotalFrames => null;

    /// <summary>
    /// Opens a FIFO input (raw PCM in <paramref name="rawFormat"/>, or WAV streams when it is null). A WAV FIFO waits
    /// here for its first writer's header, which sets the format; a raw one starts at once, in a gap.
    /// </summary>
    public static async Task<FifoSource> OpenAsync(string path, string name, AudioFormat? rawFormat, FifoGap gap, InputPacing pacing, ILogger logger, CancellationToken cancellationToken)
    {
        if (rawFormat is { } raw)
        {
            var source = new FifoSource(path, name, raw, wav: false, gap, pacing, logger);
            _ = source.StartOpening();
            return source;
        }

        InputLog.WaitingForWriter(logger, name);
        var next = OpenReadEnd(path, name);
        while (true)
        {
            var stream = await WaitForWriterAsync(next, name).WaitAsync(cancellationToken);
            var reader = StreamInputSource.Pipe(stream);
            try
            {
                var (format, limit) = await WavStreamHeader.ReadAsync(reader, name, cancellationToken);
                var source = new FifoSource(path, name, format, wav: true, gap, pacing, logger);
                source._writer = new PcmBlockReader(reader, format.BlockAlign, limit);
                InputLog.WriterConnected(logger, name);
                return source;
            }
            catch (InvalidWavException ex) when (!ex.Message.EndsWith("file is empty or shorter than a RIFF header", StringComparison.Ordinal))
            {
                await reader.CompleteAsync();
                throw;
            }
            catch
            {
                // A writer that opened and closed without writing (a player probing its output): wait for the next,
                // on a read end opened before this one closes (see CloseWriterAsync).
                cancellationToken.ThrowIfCancellationRequested();
                next = OpenReadEnd(path, name);
                await reader.CompleteAsync();
            }
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
    {
        int wanted = frames * Format.BlockAlign;
        while (true)
        {
            if (_writer is { } writer)
            {
                var block = await writer.ReadAsync(frames, cancellationToken);
                if (block.Length == wanted)
                {
                    if (_paceData)
                    {
                        await _pacer.DeliverAsync(frames, cancellationToken);
                    }

                    return block;
                }

                // The writer went away: the frames it left are completed with silence, and the FIFO opened again.
                var rest = Scratch(wanted);
                block.CopyTo(rest);
                Silence.Fill(rest.AsSpan((int)block.Length, wanted - (int)block.Length), Format.Encoding);
                bool any = !block.IsEmpty;
                await CloseWriterAsync(writer);
                if (any)
                {
                    await _pacer.DeliverAsync(frames, cancellationToken);
                    return new ReadOnlySequence<byte>(rest, 0, wanted);
                }

                continue;
            }

            _opening ??= StartOpening();
            if (_opening.IsCompleted || _gap == FifoGap.Nothing)
            {
                var opened = await _opening.WaitAsync(cancellationToken);
                _opening = null;
                if (opened is not null)
                {
                    _writer = opened;
                    _inGap = false;
                    InputLog.WriterConnected(_logger, _name);
                }

                continue;
            }

            // FifoGap.Silence, no writer: a block of silence when the clock says it is due.
            await _pacer.DeliverAsync(frames, cancellationToken);
            var silence = Scratch(wanted);
            Silence.Fill(silence.AsSpan(0, wanted), Format.Encoding);
            return new ReadOnlySequence<byte>(silence, 0, wanted);
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_opening is { IsCompleted: false } opening)
        {
            // The open(2) blocks until a writer comes: be that writer for a moment, so the thread can finish.
            NamedPipe.WakeReader(_path);
            try
            {
                if (await opening.WaitAsync(TimeSpan.FromSeconds(2)) is { } late)
                {
                    await late.DisposeAsync();
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or TimeoutException or InvalidWavException)
            {
                // Shutting down: what the last open found no longer matters.
            }
        }

        if (_writer is { } writer)
        {
            await writer.DisposeAsync();
        }

        _pacer.Dispose();
        _stop.Dispose();
    }

    private static SafePipeHandle OpenReadEnd(string path, string name)
    {
        try
        {
            return NamedPipe.OpenReadEnd(path);
        }
        catch (IOException ex)
        {
            throw new IOException($"{name}: cannot open the FIFO: {ex.Message}", ex);
        }
    }

    private static Task<PipeStream> WaitForWriterAsync(SafePipeHandle handle, string name)
        => Task.Factory.StartNew(
            static state =>
            {
                var (handle, name) = ((SafePipeHandle, string))state!;
                try
                {
                    return NamedPipe.WaitForWriter(handle);
                }
                catch (IOException ex)
                {
                    throw new IOException($"{name}: cannot read the FIFO: {ex.Message}", ex);
                }
            },
            (handle, name),
            // Not cancellable once asked for: the thread owns the handle, and shutdown wakes it (DisposeAsync).
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

    private Task<PcmBlockReader?> StartOpening() => StartOpening(OpenReadEnd(_path, _name));

    private Task<PcmBlockReader?> StartOpening(SafePipeHandle next) => _opening = OpenWriterAsync(next);

    private async Task<PcmBlockReader?> OpenWriterAsync(SafePipeHandle next)
    {
        var stream = await WaitForWriterAsync(next, _name);
        var reader = StreamInputSource.Pipe(stream);
        if (_stop.IsCancellationRequested)
        {
            await reader.CompleteAsync();
            return null;
        }

        if (!_wav)
        {
            return new PcmBlockReader(reader, Format.BlockAlign, limitBytes: null);
        }

        try
        {
            var (format, limit) = await WavStreamHeader.ReadAsync(reader, _name, _stop.Token);
            if (format == Format)
            {
                return new PcmBlockReader(reader, format.BlockAlign, limit);
            }

            InputLog.WriterRefused(_logger, _name, $"it sent {format}, not the stream's {Format}");
        }
        catch (InvalidWavException ex)
        {
            InputLog.WriterRefused(_logger, _name, ex.Message);
        }

        await reader.CompleteAsync();
        return null;
    }

    private async ValueTask CloseWriterAsync(PcmBlockReader writer)
    {
        if (writer.PartialFrameBytes > 0)
        {
            InputLog.PartialFrame(_logger, _name, writer.PartialFrameBytes, Format.BlockAlign);
        }

        // The next read end opens before this one closes: a writer that opens the FIFO in between (it sees a reader,
        // so its open succeeds at once) would otherwise write into a FIFO with no reader, meet EPIPE and lose its
        // audio. The kernel keeps one buffer per FIFO, so what it writes waits there for the new read end.
        var next = OpenReadEnd(_path, _name);
        await writer.DisposeAsync();
        _writer = null;
        if (!_inGap)
        {
            _inGap = true;
            InputLog.WriterGone(_logger, _name, _gap == FifoGap.Silence ? "silence" : "nothing");
        }

        _ = StartOpening(next);
    }

    private byte[] Scratch(int bytes)
    {
        if (_scratch.Length < bytes)
        {
            _scratch = new byte[bytes];
        }

        return _scratch;
    }
}
