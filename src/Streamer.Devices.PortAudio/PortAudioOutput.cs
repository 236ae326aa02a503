using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Streamer.Media;
using Streamer.Media.Dsp;
using Streamer.Media.Outputs;
using Streamer.Media.Playout;

namespace Streamer.Devices.PortAudio;

/// <summary>
/// Plays through a PortAudio output device. The device's callback pulls each block from the source with
/// <see cref="IPlayoutSource.ReadClocked(Span{byte}, long)"/> (straight into the device's buffer when the device takes the stream's
/// layout, else through a <see cref="PlayoutConverter"/>): no allocation, no lock, no wait on the audio thread.
/// </summary>
public sealed class PortAudioOutput : IClockedOutput
{
    private readonly PortAudioLibrary _pa;
    private bool _holdsHost;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _finished = new(0, 1);
    private readonly int _deviceBlockAlign;
    private readonly int _deviceChannels;
    private readonly int _deviceRate;
    private readonly bool _convert;
    private readonly double _blockMilliseconds;
    private GCHandle _self;
    private nint _stream;
    private IPlayoutSource? _source;
    private PlayoutConverter? _converter;
    private int _started;
    private int _tailFrames;
    private long _outputLatencyUs;
    private bool _ended;

    private PortAudioOutput(PortAudioLibrary pa, PortAudioDevice device, int rate, int channels, bool convert, int blockAlign, double blockMilliseconds, ILogger logger)
    {
        _blockMilliseconds = blockMilliseconds;
        _pa = pa;
        _logger = logger;
        Device = device;
        _deviceRate = rate;
        _deviceChannels = channels;
        _convert = convert;
        _deviceBlockAlign = blockAlign;
    }

    /// <summary>The device being played on.</summary>
    public PortAudioDevice Device { get; }

    /// <inheritdoc/>
    public string Description => $"audio device '{Device.Name}'";

    /// <summary>Finds the device and opens it for <paramref name="format"/>, converting when it cannot take that layout.</summary>
    /// <param name="deviceSpec">A device index or (part of) its name as <c>streamer devices</c> lists it; null for the default device.</param>
    /// <param name="format">The stream's format.</param>
    /// <param name="logger">Where the device choice and conversions are logged.</param>
    /// <param name="blockMilliseconds">Audio per callback: the jitter buffer needs half of it as extra headroom, so
    /// small targets want small blocks; more callbacks cost a little more CPU.</param>
    public static unsafe PortAudioOutput Open(string? deviceSpec, AudioFormat format, ILogger logger, double blockMilliseconds = 10)
    {
        if (!PortAudioHost.TryAcquire(out string? error))
        {
            throw new AudioDeviceException(error!);
        }

        try
        {
            var output = OpenOn(PortAudioHost.Library!, deviceSpec, format, logger, blockMilliseconds);
            // The output holds PortAudio initialized until it is closed.
            output._holdsHost = true;
            return output;
        }
        catch
        {
            PortAudioHost.Release();
            throw;
        }
    }

    private static unsafe PortAudioOutput OpenOn(PortAudioLibrary pa, string? deviceSpec, AudioFormat format, ILogger logger, double blockMilliseconds)
    {
        var device = PortAudioHost.Find(deviceSpec);
        var native = NativeFormat(format.Encoding);
        PortAudioOutput output;
        if (native != 0 && IsSupported(pa, device, format.SampleRate, format.Channels, native))
        {
            output = new PortAudioOutput(pa, device, format.SampleRate, format.Channels, false, format.BlockAlign, blockMilliseconds, logger);
            output.OpenStream(native, format.SampleRate);
        }
        else
        {
            int channels = Math.Min(format.Channels, device.MaxOutputChannels);
            int rate = format.SampleRate;
            if (!IsSupported(pa, device, rate, channels, PaFloat32))
            {
                rate = (int)device.DefaultSampleRate;
                if (!IsSupported(pa, device, rate, channels, PaFloat32))
                {
                    channels = Math.Min(2, device.MaxOutputChannels);
                }
            }

            PortAudioLog.Converting(logger, device.Name, format.ToString(), rate, channels);
            output = new PortAudioOutput(pa, device, rate, channels, true, channels * sizeof(float), blockMilliseconds, logger);
            output.OpenStream(PaFloat32, rate);
        }

        return output;
    }

    /// <inheritdoc/>
    public async Task RunAsync(IPlayoutSource source, CancellationToken cancellationToken)
    {
        _source = source;
        int maxFrames = (int)Math.Ceiling(_deviceRate * _blockMilliseconds / 1000) * 4;
        _converter = _convert ? new PlayoutConverter(source, _deviceRate, _deviceChannels, maxFrames) : null;
        Start();
        try
        {
            await _finished.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Abort();
            throw;
        }
    }

    /// <summary>Stops and closes the stream and releases PortAudio.</summary>
    public ValueTask DisposeAsync()
    {
        Close();
        if (_self.IsAllocated)
        {
            _self.Free();
        }

        _finished.Dispose();
        return ValueTask.CompletedTask;
    }

    private unsafe void Start()
    {
        Check(_pa.StartStream(_stream), "start");
        Volatile.Write(ref _started, 1);
    }

    private unsafe void Abort() => _pa.AbortStream(_stream);

    private unsafe void Close()
    {
        if (_stream != 0)
        {
            if (Volatile.Read(ref _started) == 1 && _pa.IsStreamActive(_stream) == 1)
            {
                _pa.AbortStream(_stream);
            }

            _pa.CloseStream(_stream);
            _stream = 0;
        }

        if (_holdsHost)
        {
            _holdsHost = false;
            PortAudioHost.Release();
        }
    }

    private const ulong PaFloat32 = 0x1;

    private static ulong NativeFormat(SampleEncoding encoding) => encoding switch
    {
        SampleEncoding.Float32 => PaFloat32,
        SampleEncoding.Int32 => 0x2,
        SampleEncoding.Int24 => 0x4,
        SampleEncoding.Int16 => 0x8,
        SampleEncoding.UInt8 => 0x20,
        _ => 0,
    };

    private static unsafe bool IsSupported(PortAudioLibrary pa, PortAudioDevice device, int rate, int channels, ulong sampleFormat)
    {
        if (channels > device.MaxOutputChannels)
        {
            return false;
        }

        var parameters = Parameters(device, channels, sampleFormat);
        using (StandardErrorSilencer.Start())
        {
            return pa.IsFormatSupported(null, &parameters, rate) == 0;
        }
    }

    private static PaStreamParameters Parameters(PortAudioDevice device, int channels, ulong sampleFormat) => new()
    {
        Device = device.Index,
        ChannelCount = channels,
        SampleFormat = new CULong((nuint)sampleFormat),
        SuggestedLatency = device.DefaultLowOutputLatency,
    };

    private unsafe void OpenStream(ulong sampleFormat, int rate)
    {
        _self = GCHandle.Alloc(this);
        var parameters = Parameters(Device, _deviceChannels, sampleFormat);
        // The host's period follows the suggested latency: keep it near the block so callbacks come evenly
        // rather than several blocks back to back, which a small jitter buffer target cannot absorb.
        parameters.SuggestedLatency = Math.Min(parameters.SuggestedLatency, 2 * _blockMilliseconds / 1000);
        nint stream;
        uint frames = (uint)Math.Round(rate * _blockMilliseconds / 1000);
        int result;
        using (StandardErrorSilencer.Start())
        {
            result = _pa.OpenStream(&stream, null, &parameters, rate, new CULong(frames), new CULong(0), (nint)(delegate* unmanaged[Cdecl]<nint, nint, CULong, nint, CULong, nint, int>)&Render, GCHandle.ToIntPtr(_self));
        }

        Check(result, "open");
        _stream = stream;
        Check(_pa.SetStreamFinishedCallback(_stream, (nint)(delegate* unmanaged[Cdecl]<nint, void>)&Finished), "set up");
        PaStreamInfo* info = _pa.GetStreamInfo(_stream);
        double latencyMs = info == null ? 0 : info->OutputLatency * 1000;
        _outputLatencyUs = (long)(latencyMs * 1000);
        // Over ALSA plugins that mmap (PulseAudio's, verified with PortAudio 19.6 and alsa-plugins 1.2.7), completing
        // the stream drains only what reached the sound server and drops the rest: the last output latency plus a
        // period of audio was cut. Silence that long after the end is what gets cut instead (see docs/playback.md).
        _tailFrames = (int)Math.Ceiling(rate * 2 * latencyMs / 1000) + (int)frames;
        PortAudioLog.Opened(_logger, Device.Name, rate, _deviceChannels, sampleFormat == PaFloat32 && _convert ? "f32 (converted)" : "stream's own", latencyMs);
    }

    private void Check(int result, string what)
    {
        if (result < 0)
        {
            throw new AudioDeviceException(string.Create(CultureInfo.InvariantCulture, $"cannot {what} audio device '{Device.Name}': {_pa.ErrorText(result)}"));
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe int Render(nint input, nint output, CULong frameCount, nint timeInfo, CULong statusFlags, nint userData)
    {
        try
        {
            var self = (PortAudioOutput)GCHandle.FromIntPtr(userData).Target!;
            int frames = (int)frameCount.Value;
            return self.Fill(output, frames, self.PresentationTime((PaStreamCallbackTimeInfo*)timeInfo)) ? PortAudioLibrary.PaContinue : PortAudioLibrary.PaComplete;
        }
        catch (Exception)
        {
            // An exception must not cross into native code; ending the stream lets RunAsync return.
            return PortAudioLibrary.PaComplete;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void Finished(nint userData)
    {
        try
        {
            var self = (PortAudioOutput)GCHandle.FromIntPtr(userData).Target!;
            if (self._finished.CurrentCount == 0)
            {
                self._finished.Release();
            }
        }
        catch (Exception ex) when (ex is ObjectDisposedException or SemaphoreFullException)
        {
            // The output is being torn down (aborted after cancellation): nobody waits any more.
        }
    }

    /// <summary>
    /// When this callback's first sample reaches the DAC, on our wall clock: now plus how far ahead of the stream's
    /// current time PortAudio says the buffer plays (outputBufferDacTime − currentTime, what the host reports of the
    /// device's latency); without time info (or a host that reports zeros), now plus the stream's output latency.
    /// </summary>
    private unsafe long PresentationTime(PaStreamCallbackTimeInfo* timeInfo)
    {
        long now = Streamer.Protocol.WallClock.NowMicroseconds();
        if (timeInfo != null && timeInfo->OutputBufferDacTime > 0 && timeInfo->OutputBufferDacTime >= timeInfo->CurrentTime)
        {
            return now + (long)((timeInfo->OutputBufferDacTime - timeInfo->CurrentTime) * 1e6);
        }

        return now + _outputLatencyUs;
    }

    /// <summary>Fills one device block; false once the source ended and the silent tail after it has been played.</summary>
    private unsafe bool Fill(nint output, int frames, long presentationLocalUs)
    {
        if (_ended)
        {
            // The tail: silence, never a read past the end (which would count as an underrun).
            FillSilence(output, frames);
            _tailFrames -= frames;
            return _tailFrames > 0;
        }

        if (_converter is not null)
        {
            _ended = !_converter.Fill(new Span<float>((void*)output, frames * _deviceChannels), presentationLocalUs);
            return true;
        }

        var buffer = new Span<byte>((void*)output, frames * _deviceBlockAlign);
        int count = _source!.ReadClocked(buffer, presentationLocalUs);
        if (count < buffer.Length)
        {
            Silence.Fill(buffer[count..], _source.Format.Encoding);
            _ended = true;
        }

        return true;
    }

    private unsafe void FillSilence(nint output, int frames)
    {
        if (_converter is not null)
        {
            new Span<float>((void*)output, frames * _deviceChannels).Clear();
        }
        else
        {
            Silence.Fill(new Span<byte>((void*)output, frames * _deviceBlockAlign), _source!.Format.Encoding);
        }
    }
}
