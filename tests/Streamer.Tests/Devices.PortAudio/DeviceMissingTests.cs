using Streamer.Media.Containers.Wav;
using Streamer.Tests.Support;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>What users see without PortAudio or without a sound card: one clear line, and demo still plays to a file.</summary>
public sealed class DeviceMissingTests
{
    private const string MissingLibrary = "libportaudio-missing.so.9";
    private const string MissingLibraryLine = $"PortAudio not found ({MissingLibrary}): install it with 'apt-get install libportaudio2'";
    private const string NoDeviceLine = "no audio output device found (PortAudio sees none); use --output FILE.wav, null or -";

    private static Dictionary<string, string?> WithoutLibrary => new() { ["STREAMER_PORTAUDIO_LIBRARY"] = MissingLibrary };

    [Fact]
    public async Task Devices_without_PortAudio_says_how_to_install_it()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["devices"], TimeSpan.FromSeconds(30), environment: WithoutLibrary);

        Assert.Equal(1, code);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal($"streamer: error: {MissingLibraryLine}\n", stderr);
    }

    [Fact]
    public async Task Play_to_the_device_without_PortAudio_fails_before_connecting()
    {
        // Port 9 (discard) is not listening: the device check must come first.
        var (code, _, stderr) = await CliProcess.RunAsync(["play", "127.0.0.1:9", "--output", "device"], TimeSpan.FromSeconds(30), environment: WithoutLibrary);

        Assert.Equal(1, code);
        Assert.Equal($"streamer: error: {MissingLibraryLine}\n", stderr);
    }

    [Fact]
    public async Task Demo_without_PortAudio_plays_to_a_wav_file_and_says_where()
    {
        using var directory = new TempDirectory();

        var (code, stdout, stderr) = await CliProcess.RunAsync(["demo", "--seconds", "0.5", "-q"], TimeSpan.FromSeconds(60), directory.Path, WithoutLibrary);

        Assert.True(code == 0, stderr);
        string wav = directory.File("streamer-demo.wav");
        Assert.Contains($"No audio device here ({MissingLibraryLine}); playing to {wav} instead.", stdout, StringComparison.Ordinal);
        await using var reader = await WavFile.OpenAsync(wav);
        Assert.Equal(24000 * 4, reader.Header.DataLength);
    }

    // CI machines have no sound card: with a HOME holding no .asoundrc, PortAudio finds no output device.
    [Fact]
    [Trait("Category", "Hardware")]
    public async Task Without_a_sound_card_devices_says_so_and_demo_falls_back_to_a_wav_file()
    {
        using var home = new TempDirectory();
        var environment = new Dictionary<string, string?> { ["HOME"] = home.Path };

        var (devicesCode, _, devicesError) = await CliProcess.RunAsync(["devices"], TimeSpan.FromSeconds(30), environment: environment);
        var (demoCode, demoOut, demoError) = await CliProcess.RunAsync(["demo", "--seconds", "0.3", "-q"], TimeSpan.FromSeconds(60), home.Path, environment);

        Assert.Equal(1, devicesCode);
        Assert.Equal($"streamer: error: {NoDeviceLine}\n", devicesError);
        Assert.True(demoCode == 0, demoError);
        Assert.Contains($"No audio device here ({NoDeviceLine}); playing to {home.File("streamer-demo.wav")} instead.", demoOut, StringComparison.Ordinal);
        Assert.DoesNotContain("ALSA lib", demoError, StringComparison.Ordinal);
        Assert.True(File.Exists(home.File("streamer-demo.wav")));
    }
}
