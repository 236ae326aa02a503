using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Streamer.Devices.PortAudio;
using Streamer.Media;
using Streamer.Media.Containers.Wav;
using Streamer.Media.Sources;
using Streamer.Media.Sources.Live;

namespace Streamer.Cli.Inputs;

/// <summary>
/// A validated choice of input (from <see cref="InputSelector.Select"/>), and how to open it as an
/// <see cref="IAudioSource"/>. Failures are one line: <see cref="InvalidWavException"/> (exit 2) for input that is
/// not what it should be, <see cref="CliException"/> with exit 1 for a device or FIFO that cannot be opened.
/// </summary>
internal sealed class InputSpec
{
    private readonly string? _path;
    private readonly AudioFormat? _raw;
    private readonly FifoGap _gap;
    private readonly string? _device;
    private readonly AudioFormat _capture;
    private readonly double? _seconds;
    private int _stdinOpened;

    public InputSpec(InputKind kind, string name, string? path, AudioFormat? raw, FifoGap gap, string? device, AudioFormat capture, double? seconds)
    {
        Kind = kind;
        Name = name;
        _path = path;
        _raw = raw;
        _gap = gap;
        _device = device;
        _capture = capture;
        _seconds = seconds;
    }

    public InputKind Kind { get; }

    /// <summary>Whether <c>--format</c> said the input is raw PCM (a file then reads as a stream, not as WAV).</summary>
    public bool HasRawFormat => _raw is not null;

    /// <summary>How messages name the input: the path, <c>stdin</c>, <c>device</c> or <c>tone</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// A live input (stdin, FIFO, device): one reader for everyone, never read from the start again; it blocks on its
    /// own clock (the writer's or the device's) and never runs ahead of real time by more than a bounded buffer
    /// (200 ms for stdin and FIFOs, 0.5 s for a device). False for a file or the tone, which the engine must pace.
    /// </summary>
    public bool IsLive => Kind is InputKind.StandardInput or InputKind.Fifo or InputKind.Device;

    /// <summary>Whether the source ends by itself: a file, stdin and a finite tone do; a FIFO, a device and an endless tone do not.</summary>
    public bool IsEndless => Kind is InputKind.Fifo or InputKind.Device || (Kind == InputKind.Tone && _seconds is null);

    /// <summary>Opens the input. A file and the tone may be opened again (each from the start); a live input once.</summary>
    public async Task<IAudioSource> OpenAsync(ILogger logger, CancellationToken cancellationToken)
    {
        switch (Kind)
        {
            case InputKind.Tone:
                return new ToneSource(_seconds);
            case InputKind.Device:
                try
                {
                    return PortAudioInput.Open(_device, _capture, logger);
                }
                catch (AudioDeviceException ex)
                {
                    throw new CliException(ExitCodes.Failure, "device: " + ex.Message);
                }

            case InputKind.StandardInput:
                if (Interlocked.Exchange(ref _stdinOpened, 1) != 0)
                {
                    throw new InvalidOperationException("standard input is read once");
                }

                return await OpenStreamAsync(OpenStandardInput(), InputPacing.Live, logger, cancellationToken);
            case InputKind.Fifo:
                try
                {
                    return await FifoSource.OpenAsync(_path!, Name, _raw, _gap, InputPacing.Live, logger, cancellationToken);
                }
                catch (IOException ex)
                {
                    throw new CliException(ExitCodes.Failure, ex.Message);
                }

            default:
                if (_raw is null)
                {
                    return await WavFileSource.OpenAsync(_path!, cancellationToken);
                }

                // Raw PCM in a file: read like a stream, paced by whoever reads it (the engine).
                return await OpenStreamAsync(new FileStream(_path!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0, FileOptions.SequentialScan), InputPacing.Unpaced, logger, cancellationToken);
        }
    }

    private async Task<IAudioSource> OpenStreamAsync(Stream stream, InputPacing pacing, ILogger logger, CancellationToken cancellationToken)
    {
        var reader = StreamInputSource.Pipe(stream);
        if (_raw is { } raw)
        {
            return StreamInputSource.OpenRaw(reader, raw, Name, pacing, logger);
        }

        try
        {
            return await StreamInputSource.OpenWavAsync(reader, Name, pacing, logger, cancellationToken);
        }
        catch (InvalidWavException ex) when (ex.Message.Contains("no RIFF signature", StringComparison.Ordinal))
        {
            throw new InvalidWavException(ex.Message + "; for raw PCM give --format (and --rate, --channels)", ex);
        }
    }

    /// <summary>
    /// Standard input as a stream: a pipe through the runtime's asynchronous pipe stream (reads wait in epoll, not on a
    /// blocked pool thread, and can be cancelled); a redirected file as a plain file stream.
    /// </summary>
    private static Stream OpenStandardInput()
    {
        if (OperatingSystem.IsWindows())
        {
            return Console.OpenStandardInput();
        }

        // The stream owns descriptor 0 from here: disposing a pipe stream that does not own its handle hangs (.NET 10).
        return NamedPipe.IsFifo("/dev/stdin")
            ? new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(0, ownsHandle: true))
            : new FileStream(new SafeFileHandle(0, ownsHandle: true), FileAccess.Read, bufferSize: 0);
    }
}
