using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Devices.PortAudio;
using Streamer.Media;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>Every Pa_Initialize is balanced by a Pa_Terminate once nobody uses PortAudio any more.</summary>
public sealed class PortAudioHostTests
{
    /// <summary>paNotInitialized: what PortAudio answers between Pa_Terminate and the next Pa_Initialize.</summary>
    private const int NotInitialized = -10000;

    [Fact]
    public unsafe void Listing_devices_terminates_PortAudio_afterwards_and_a_second_listing_starts_it_again()
    {
        var pa = PortAudioLibrary.Instance;
        Assert.True(pa is not null, $"this test needs PortAudio: apt-get install libportaudio2 ({PortAudioLibrary.LoadError})");

        int first = PortAudioHost.ListOutputDevices().Count;
        Assert.Equal(0, PortAudioHost.Users);
        Assert.Equal(NotInitialized, pa.GetDeviceCount());

        Assert.Equal(first, PortAudioHost.ListOutputDevices().Count);
        Assert.Equal(NotInitialized, pa.GetDeviceCount());
    }

    [Fact]
    public async Task An_output_holds_PortAudio_until_it_is_disposed_and_a_failed_open_lets_go_at_once()
    {
        var pa = PortAudioLibrary.Instance;
        Assert.True(pa is not null, $"this test needs PortAudio: apt-get install libportaudio2 ({PortAudioLibrary.LoadError})");

        // No such device anywhere: the open fails after PortAudio was started for it.
        Assert.Throws<AudioDeviceException>(() => PortAudioOutput.Open("no-device-has-this-name-7f3a", new AudioFormat(48000, 2, SampleEncoding.Int16), NullLogger.Instance));
        Assert.Equal(0, PortAudioHost.Users);

        if (PortAudioHost.ListOutputDevices().Count > 0)
        {
            var output = PortAudioOutput.Open(null, new AudioFormat(48000, 2, SampleEncoding.Int16), NullLogger.Instance);
            Assert.Equal(1, PortAudioHost.Users);
            await output.DisposeAsync();
        }

        Assert.Equal(0, PortAudioHost.Users);
    }
}
