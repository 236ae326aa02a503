using System.Runtime.InteropServices;

namespace Streamer.Devices.PortAudio;

// Layouts from portaudio.h (v19). PaSampleFormat, PaStreamFlags and frame counts are C 'unsigned long': CULong.

[StructLayout(LayoutKind.Sequential)]
internal struct PaDeviceInfo
{
    public int StructVersion;
    public nint Name;
    public int HostApi;
    public int MaxInputChannels;
    public int MaxOutputChannels;
    public double DefaultLowInputLatency;
    public double DefaultLowOutputLatency;
    public double DefaultHighInputLatency;
    public double DefaultHighOutputLatency;
    public double DefaultSampleRate;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PaHostApiInfo
{
    public int StructVersion;
    public int Type;
    public nint Name;
    public int DeviceCount;
    public int DefaultInputDevice;
    public int DefaultOutputDevice;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamParameters
{
    public int Device;
    public int ChannelCount;
    public CULong SampleFormat;
    public double SuggestedLatency;
    public nint HostApiSpecificStreamInfo;
}

[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamInfo
{
    public int StructVersion;
    public double InputLatency;
    public double OutputLatency;
    public double SampleRate;
}

/// <summary>PaStreamCallbackTimeInfo: times on the stream's clock (Pa_GetStreamTime), in seconds.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct PaStreamCallbackTimeInfo
{
    public double InputBufferAdcTime;
    public double CurrentTime;
    public double OutputBufferDacTime;
}
