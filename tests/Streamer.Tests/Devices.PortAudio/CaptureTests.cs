using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging.Abstractions;
using Streamer.Devices.PortAudio;
using Streamer.Media;
using Streamer.Media.Sources;
using Streamer.Tests.Support;
using Xunit.Abstractions;

namespace Streamer.Tests.Devices.PortAudio;

/// <summary>
/// These tests point ALSA at a private configuration for the whole process (native environment), so they run alone:
/// no other test may use PortAudio meanwhile.
/// </summary>
[CollectionDefinition(nameof(AlsaEnvironmentCollection), DisableParallelization = true)]
public sealed class AlsaEnvironmentCollection;

/// <summary>
/// Capture through PortAudio on a machine with no card: ALSA's <c>file</c> plugin with an <c>infile</c> makes a known
/// raw file the "microphone" of the default device (its slave, <c>null</c>, supplies the timing and silence).
/// </summary>
[Collection(nameof(AlsaEnvironmentCollection))]
public sealed partial class CaptureTests(ITestOutputHelper output)
{
    private static readonly AudioFormat Format = new(48000, 2, SampleEncoding.Int16);

    [LinuxFact("ALSA's file plugin")]
    public async Task A_known_signal_fed_as_the_microphone_arrives_intact()
    {
        using var dir = new TempDirectory();
        byte[] signal = WavFixture.DataOf(TestSignal.CreateWav(1.0));   // the demo signal's samples: 1 s, 16-bit stereo
        string infile = dir.File("microphone.raw");
        File.WriteAllBytes(infile, signal);

        byte[] captured;
        using (AlsaConfig.Use(dir.File("asound.conf"), $$"""
            pcm.!default { type file; slave.pcm { type null }; file "/dev/null"; infile "{{infile}}"; format "raw" }
            """))
        {
            await using var input = PortAudioInput.Open(null, Format, NullLogger.Instance);
            Assert.Equal(Format, input.Format);
            Assert.Null(input.TotalFrames);
            captured = await ReadAsync(input, signal.Length + Format.BytesPerSecond / 2);
        }

        Assert.Equal(0, PortAudioHost.Users);
        int start = IndexOf(captured, signal.AsSpan(0, 4800));
        Assert.True(start >= 0, "the signal's first 25 ms were not found in what was captured");
        Assert.True(start % Format.BlockAlign == 0, $"the signal starts at byte {start}, inside a sample frame");
        // Leading silence the device adds before the file's first sample is allowed; the signal itself must be whole.
        Assert.True(captured.AsSpan(0, start).IndexOfAnyExcept((byte)0) < 0, "something other than silence came before the signal");
        Assert.True(captured.AsSpan(start, signal.Length).SequenceEqual(signal), "the captured signal differs from the file");
        output.WriteLine($"the signal starts {start / Format.BlockAlign} sample frames into the capture");
    }

    [LinuxFact("ALSA's configuration")]
    public void A_device_name_that_matches_nothing_is_one_line_listing_the_inputs()
    {
        using var dir = new TempDirectory();
        using (AlsaConfig.Use(dir.File("asound.conf"), "pcm.!default { type null }\n"))
        {
            var missing = Assert.Throws<AudioDeviceException>(() => PortAudioInput.Open("no-such-microphone-7f3a", Format, NullLogger.Instance));
            Assert.Equal("--device 'no-such-microphone-7f3a': no input device by that name; inputs: 0 'default'", missing.Message);
            var index = Assert.Throws<AudioDeviceException>(() => PortAudioInput.Open("7", Format, NullLogger.Instance));
            Assert.Equal("--device 7: no input device with that index; inputs: 0 'default'", index.Message);
        }

        Assert.Equal(0, PortAudioHost.Users);
    }

    [LinuxFact("ALSA's configuration")]
    public void A_machine_without_a_capture_device_is_one_line()
    {
        using var dir = new TempDirectory();
        // The only PCM is a card that is not there: PortAudio lists no device at all.
        using (AlsaConfig.Use(dir.File("asound.conf"), "pcm.!default { type hw; card 57 }\n"))
        {
            var missing = Assert.Throws<AudioDeviceException>(() => PortAudioInput.Open(null, Format, NullLogger.Instance));
            Assert.StartsWith("no audio input device found (PortAudio sees none)", missing.Message);
            Assert.DoesNotContain('\n', missing.Message);
        }

        Assert.Equal(0, PortAudioHost.Users);
    }

    private static async Task<byte[]> ReadAsync(IAudioSource source, int bytes)
    {
        var all = new List<byte>(bytes);
        while (all.Count < bytes)
        {
            var block = await source.ReadAsync(480, CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.False(block.IsEmpty, "a capture device ended");
            Assert.Equal(480 * Format.BlockAlign, block.Length);
            foreach (var segment in block)
            {
                all.AddRange(segment.Span);
            }
        }

        return [.. all];
    }

    private static int IndexOf(byte[] haystack, ReadOnlySpan<byte> needle) => haystack.AsSpan().IndexOf(needle);

    /// <summary>Points ALSA (in this process, through the native environment) at one configuration file, and back.</summary>
    private static partial class AlsaConfig
    {
        private const string Variable = "ALSA_CONFIG_PATH";

        public static IDisposable Use(string path, string text)
        {
            Assert.True(PortAudioLibrary.Instance is not null, $"this test needs PortAudio: apt-get install libportaudio2 ({PortAudioLibrary.LoadError})");
            Assert.Equal(0, PortAudioHost.Users);
            File.WriteAllText(path, text);
            string? before = Environment.GetEnvironmentVariable(Variable);
            Assert.Equal(0, SetEnv(Variable, path, 1));
            return new Restore(before);
        }

        [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int SetEnv(string name, string value, int overwrite);

        [LibraryImport("libc", EntryPoint = "unsetenv", StringMarshalling = StringMarshalling.Utf8)]
        private static partial int UnsetEnv(string name);

        private sealed class Restore(string? before) : IDisposable
        {
            public void Dispose() => _ = before is null ? UnsetEnv(Variable) : SetEnv(Variable, before, 1);
        }
    }
}
