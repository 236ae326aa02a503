namespace Streamer.Devices.PortAudio;

/// <summary>An output device as PortAudio lists it.</summary>
public sealed record PortAudioDevice(int Index, string Name, string HostApi, double DefaultSampleRate, int MaxOutputChannels, bool IsDefault, double DefaultLowOutputLatency);
