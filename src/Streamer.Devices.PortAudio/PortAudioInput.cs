using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Streamer.Media;
using Streamer.Media.Sources;
using Streamer.Media.Sources.Live;

namespace Streamer.Devices.PortAudio;

/// <summary>
/// Captures from a PortAudio input device as a live <see cref="IAudioSource"/>, paced by the device's clock. A
/// capture thread reads the device with PortAudio's blocking API (no callback: nothing runs on the audio thread
/// that could stall it) into a pipe bounded at <see cref="BufferedSeconds"/>; blocks are slices of the pipe.
/// A reader that falls further behind than that makes the device overflow (counted and logged), not the memory grow.
/// </summary>
public sealed class PortAudioInput : IAudioSource
{
    /// <summary>Most audio held between the device and the reader.</summary>
    public const double BufferedSeconds = 0.5;

    private const ulong PaFloat32 = 0x1;
    private const int PaInputOverflowed = -9981;

    private readonly PortAudioLibrary _pa;
    private readonly ILogger _logger;
    private readonly Pipe _pipe;
    private readonly PcmBlockReader _blocks;
    private readonly int _periodFrames;
    private readonly Thread _thread;
    private nint _stream;
    private volatile bool _stopping;
    private long _overflows;

    private PortAudioInput(PortAudioLibrary pa, PortAudioInputDevice device, AudioFormat format, int periodFrames, ILogger logger)
    {
        _pa = pa;
        Device = device;
        Format = format;
        _periodFrames = periodFrames;
        _logger = logger;
        long bound = (long)(format.BytesPerSecond * BufferedSeconds);
        _pipe = new Pipe(new PipeOptions(pauseWriterThreshold: bound, resumeWriterThreshold: bound / 2, useSynchronizationContext: false, minimumSegmentSize: 16 * 1024));
        _blocks = new PcmBlockReader(_pipe.Reader, format.BlockAlign, limitBytes: null);
        _thread = new Thread(Capture) { IsBackground = true, Name = "streamer capture" };
    }

    internal PortAudioInputDevice Device { get; }

    /// <inheritdoc/>
    public AudioFormat Format { get; }

    /// <summary>Null: a device never ends by itself.</summary>
    public long? TotalFrames => null;

    /// <summary>Times the device overflowed (audio lost because the reader was too far behind).</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    /// <summary>
    /// Opens and starts the device <paramref name="deviceSpec"/> (index or name, null: the default input) for
    /// <paramref name="format"/>. A device that is missing, busy or cannot take the format throws
    /// <see cref="AudioDeviceException"/> with one line.
    /// </summary>
    public static PortAudioInput Open(string? deviceSpec, AudioFormat format, ILogger logger, double periodMilliseconds = 10)
    {
        ulong native = format.Encoding switch
        {
            SampleEncoding.Int16 => 0x8,
            SampleEncoding.Int24 => 0x4,
            SampleEncoding.Int32 => 0x2,
            SampleEncoding.Float32 => PaFloat32,
            _ => throw new AudioDeviceException($"capture in {format.Encoding.WireName()} is not supported: use s16le, s24le, s32le or f32le"),
        };
        if (!PortAudioHost.TryAcquire(out string? error))
        {
            throw new AudioDeviceException(error!);
        }

        PortAudioInput? input = null;
        try
        {
            var pa = PortAudioHost.Library!;
            var device = PortAudioInputDevices.Find(pa, deviceSpec);
            if (format.Channels > device.MaxInputChannels)
            {
                throw new AudioDeviceException(string.Create(CultureInfo.InvariantCulture, $"audio input '{device.Name}' has {device.MaxInputChannels} channel(s), not {format.Channels}: use --channels {device.MaxInputChannels}"));
            }

            int period = Math.Max(32, (int)Math.Round(format.SampleRate * periodMilliseconds / 1000));
            input = new PortAudioInput(pa, device, format, period, logger);
            input.OpenStream(native);
            input._thread.Start();
            return input;
        }
        catch
        {
            if (input is not null)
            {
                input.CloseStream();
            }

            PortAudioHost.Release();
            throw;
        }
    }

    /// <inheritdoc/>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlySequence<byte>> ReadAsync(int frames, CancellationToken cancellationToken)
        => await _blocks.ReadAsync(frames, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        // Completing the reader wakes a capture thread waiting for room; it closes the stream itself, since PortAudio
        // must not close a stream while another thread is inside Pa_ReadStream.
        await _blocks.DisposeAsync();
        if (_thread.IsAlive && !_thread.Join(TimeSpan.FromSeconds(2)))
        {
            PortAudioLog.CaptureStuck(_logger, Device.Name);
            return;
        }

        if (Overflows > 0)
        {
            PortAudioLog.CaptureOverflows(_logger, Device.Name, Overflows);
        }

        PortAudioHost.Release();
    }

    private unsafe void OpenStream(ulong sampleFormat)
    {
        var parameters = new PaStreamParameters
        {
            Device = Device.Index,
            ChannelCount = Format.Channels,
            SampleFormat = new CULong((nuint)sampleFormat),
            SuggestedLatency = Device.DefaultLowInputLatency,
        };
        nint stream;
        int result;
        using (StandardErrorSilencer.Start())
        {
            result = _pa.IsFormatSupported(&parameters, null, Format.SampleRate);
            if (result == 0)
            {
                result = _pa.OpenStream(&stream, &parameters, null, Format.SampleRate, new CULong((uint)_periodFrames), new CULong(0), 0, 0);
            }
            else
            {
                stream = 0;
            }
        }

        Check(result, "open");
        _stream = stream;
        Check(_pa.StartStream(_stream), "start");
        PaStreamInfo* info = _pa.GetStreamInfo(_stream);
        PortAudioLog.CaptureOpened(_logger, Device.Name, Format.ToString(), info == null ? 0 : info->InputLatency * 1000);
    }

    private unsafe void Capture()
    {
        var writer = _pipe.Writer;
        int bytes = _periodFrames * Format.BlockAlign;
        Exception? failure = null;
        try
        {
            while (!_stopping)
            {
                var memory = writer.GetMemory(bytes);
                int result;
                fixed (byte* buffer = memory.Span)
                {
                    result = _pa.ReadStream(_stream, buffer, new CULong((uint)_periodFrames));
                }

                if (result == PaInputOverflowed)
                {
                    // The frames read are good; some before them were lost while the reader was behind.
                    Interlocked.Increment(ref _overflows);
                }
                else if (result < 0)
                {
                    failure = new AudioDeviceException($"audio input '{Device.Name}' failed: {_pa.ErrorText(result)}");
                    break;
                }

                writer.Advance(bytes);
                var flush = writer.FlushAsync();
                // Waits only when the reader is BufferedSeconds behind: the device overflows meanwhile.
                var flushed = flush.IsCompleted ? flush.Result : flush.AsTask().GetAwaiter().GetResult();
                if (flushed.IsCompleted)
                {
                    break;
                }
            }
        }
        finally
        {
            CloseStream();
            writer.Complete(failure);
        }
    }

    private unsafe void CloseStream()
    {
        if (_stream == 0)
        {
            return;
        }

        using (StandardErrorSilencer.Start())
        {
            _pa.AbortStream(_stream);
            _pa.CloseStream(_stream);
        }

        _stream = 0;
    }

    private void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new AudioDeviceException($"cannot {what} audio input '{Device.Name}' for {Format}: {_pa.ErrorText(result)}");
        }
    }
}
